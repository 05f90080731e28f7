import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");

/** Builds the real renderer (as `npm start` serves it) into a folder of its own for the suite. */
export async function buildRendererFor(outDir: string, overrides: { minify?: boolean } = {}): Promise<string> {
  const { build } = await import("vite");
  const { rendererConfig } = await import("../../../apps/desktop/renderer.vite.config.js");
  const config = rendererConfig(root);
  await build({ ...config, configFile: false, logLevel: "error", build: { ...config.build, ...overrides, outDir } });
  return outDir;
}

export const E2E_RENDERER_DIR = path.join(root, "test-artifacts", "renderer-build");
