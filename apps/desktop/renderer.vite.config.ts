import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import type { UserConfig } from "vite";

/**
 * The renderer's build, shared by electron-vite (Electron) and plain vite (browser mode, dev
 * server, tests). `root` is the repository's folder: passed in, because electron-vite bundles its
 * config file elsewhere and this module's own location would then be wrong.
 */
export function rendererConfig(root: string): UserConfig {
  return {
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
}

export default rendererConfig(path.resolve(import.meta.dirname, "../.."));
