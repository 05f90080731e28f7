import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import type { UserConfig } from "vite";

const root = path.resolve(import.meta.dirname, "../..");

/** The renderer's build, shared by electron-vite (Electron) and plain vite (browser mode, dev server, tests). */
export const rendererConfig: UserConfig = {
  root: path.join(root, "apps/desktop/src/renderer"),
  base: "./",
  resolve: { alias: { "@hoursync/contract": path.join(root, "server/src/contract/index.ts") } },
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.join(root, "out/renderer"),
    emptyOutDir: true,
    minify: true,
    rollupOptions: { input: path.join(root, "apps/desktop/src/renderer/index.html") },
  },
};

export default rendererConfig;
