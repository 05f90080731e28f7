// Where the Electron binary is, or why there is none: read the way the `electron` package itself does.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "node_modules", "electron");

/** @returns {{ path: string, reason?: undefined } | { path: null, reason: string }} */
export function electronBinary() {
  if (!existsSync(path.join(root, "package.json"))) return { path: null, reason: "the electron package is not installed" };
  const pathFile = path.join(root, "path.txt");
  if (!existsSync(pathFile)) return { path: null, reason: "Electron's binary could not be downloaded during npm install" };
  const binary = path.join(root, "dist", readFileSync(pathFile, "utf8").trim());
  if (!existsSync(binary)) return { path: null, reason: `Electron's binary is missing (${binary})` };
  return { path: binary };
}
