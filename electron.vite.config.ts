import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

const desktop = (p: string) => path.resolve(__dirname, "apps/desktop/src", p);

export default defineConfig({
  main: {
    build: { outDir: "out/main", rollupOptions: { input: desktop("main/index.ts") } },
  },
  preload: {
    build: { outDir: "out/preload", rollupOptions: { input: desktop("preload/index.ts") } },
  },
  renderer: {
    root: desktop("renderer"),
    plugins: [react()],
    build: { outDir: path.resolve(__dirname, "out/renderer"), rollupOptions: { input: desktop("renderer/index.html") } },
  },
});
