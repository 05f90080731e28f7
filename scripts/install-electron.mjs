// postinstall: fetch Electron's binary when the network allows it, and carry on without it when
// not (the app then runs in browser mode). npm skips Electron's own install script (allowScripts in
// package.json), because a failed download there fails the whole install and leaves no node_modules.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { electronBinary } from "./electron-binary.mjs";

const installer = "node_modules/electron/install.js";
const found = electronBinary();
if (found.path) {
  process.exit(0);
}
if (!existsSync(installer) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(`Electron: binary not installed (${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? "ELECTRON_SKIP_BINARY_DOWNLOAD is set" : "no installer"}); npm start will use browser mode.`);
  process.exit(0);
}

// Electron's download host: a quick probe first, so a machine without it does not wait minutes for a timeout.
const host = process.env.ELECTRON_MIRROR ?? "https://github.com/";
let reachable = false;
try {
  const res = await fetch(host, { method: "HEAD", signal: AbortSignal.timeout(5000) });
  reachable = res.status < 500;
} catch {
  reachable = false;
}
if (!reachable) {
  console.log(`Electron: ${host} cannot be reached, so the binary was not downloaded; npm start will use browser mode.`);
  process.exit(0);
}
const result = spawnSync(process.execPath, [installer], { stdio: "inherit", timeout: 10 * 60_000 });
if (result.status !== 0) {
  console.log("Electron: the binary download failed; npm start will use browser mode. Run `node node_modules/electron/install.js` to try again.");
}
process.exit(0);
