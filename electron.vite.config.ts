import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

const desktop = (p: string) => path.resolve(__dirname, "apps/desktop/src", p);
// The server's API contract (zod schemas and the AppRouter type), shared with the desktop.
const resolve = { alias: { "@hoursync/contract": path.resolve(__dirname, "server/src/contract/index.ts") } };

export default defineConfig({
  main: {
    resolve,
    build: { outDir: "out/main", rollupOptions: { input: desktop("main/index.ts") } },
  },
  preload: {
    resolve,
    build: { outDir: "out/preload", rollupOptions: { input: desktop("preload/index.ts") } },
  },
  renderer: {
    root: desktop("renderer"),
    resolve,
    plugins: [react()],
    build: { outDir: path.resolve(__dirname, "out/renderer"), rollupOptions: { input: desktop("renderer/index.html") } },
  },
});
