import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import type { UserConfig } from "vite";

/**
 * The server's API contract (zod schemas, the AppRouter type), shared with the desktop as
 * `@hoursync/contract`. Its wire format has a path of its own, so the first screen's code can take
 * it without the whole contract (the schemas load with the screens that use them).
 */
export function contractAlias(root: string): Record<string, string> {
  return {
    "@hoursync/contract/wire-format": path.join(root, "server/src/contract/wire-format.ts"),
    "@hoursync/contract": path.join(root, "server/src/contract/index.ts"),
  };
}

/**
 * The renderer's build, shared by electron-vite (Electron) and plain vite (browser mode, dev
 * server, tests). `root` is the repository's folder: passed in, because electron-vite bundles its
 * config file elsewhere and this module's own location would then be wrong.
 */
export function rendererConfig(root: string): UserConfig {
  return {
    root: path.join(root, "apps/desktop/src/renderer"),
    base: "./",
    resolve: { alias: contractAlias(root) },
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
