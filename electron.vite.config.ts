import path from "node:path";
import { defineConfig } from "electron-vite";
import { contractAlias, rendererConfig } from "./apps/desktop/renderer.vite.config.js";

const desktop = (p: string) => path.resolve(__dirname, "apps/desktop/src", p);
const resolve = { alias: contractAlias(__dirname) };

export default defineConfig({
  main: {
    resolve,
    build: { outDir: "out/main", minify: true, rollupOptions: { input: desktop("main/index.ts") } },
  },
  preload: {
    resolve,
    // A sandboxed window runs its preload as a classic script: CommonJS, not ESM.
    build: {
      outDir: "out/preload",
      minify: true,
      rollupOptions: { input: desktop("preload/index.ts"), output: { format: "cjs", entryFileNames: "[name].cjs" } },
    },
  },
  renderer: rendererConfig(__dirname),
});
