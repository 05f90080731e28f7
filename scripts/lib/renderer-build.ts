import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const st = statSync(full);
    latest = Math.max(latest, st.isDirectory() ? newest(full) : st.mtimeMs);
  }
  return latest;
}

/** True when the built renderer is missing or older than its sources (so `npm start` builds only when needed). */
export function rendererIsStale(root: string): boolean {
  const built = path.join(root, "out", "renderer", "index.html");
  if (!existsSync(built)) return true;
  return newest(path.join(root, "apps", "desktop", "src", "renderer")) > statSync(built).mtimeMs;
}

/** Builds the renderer alone with vite (the Electron bundles are not needed in browser mode). */
export async function buildRenderer(root: string): Promise<void> {
  console.log("  Building the renderer (first run or sources changed)...");
  const { build } = await import("vite");
  await build({ configFile: path.join(root, "apps/desktop/renderer.vite.config.ts"), logLevel: "warn" });
}
