import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { startHttpBridge } from "../core/api/http-bridge.js";
import { DesktopCore, defaultDeviceName } from "../core/desktop-core.js";
import { plainSecretBox } from "../core/session/secret-box.js";
import { defaultSettings, nodeSettingsStore } from "../core/settings/settings.js";

export interface BrowserHostOptions {
  /** The app's data folder (SQLite file, settings, attachment copies). */
  dataDir: string;
  /** The built renderer to serve; omitted when a dev server serves it. */
  rendererDir?: string;
  /** Points a signed-out app at this server (a signed-in one keeps its own). */
  serverUrl?: string;
  port?: number;
}

/**
 * The desktop app without Electron: the real core under Node, its local API and the renderer
 * served to a browser on 127.0.0.1 through the HTTP bridge (per-launch key in the URL fragment).
 * The session token is kept unsealed here: there is no OS keychain without Electron.
 */
export async function startBrowserHost(opts: BrowserHostOptions) {
  mkdirSync(opts.dataDir, { recursive: true });
  const settings = nodeSettingsStore(opts.dataDir, defaultSettings(randomUUID(), defaultDeviceName()));
  if (opts.serverUrl && !settings.get("session")) settings.set("serverUrl", opts.serverUrl);
  const core = new DesktopCore({ dataDir: opts.dataDir, settings, secretBox: plainSecretBox });
  if (settings.get("session")) core.startBackgroundSync();
  const bridge = await startHttpBridge(core, { rendererDir: opts.rendererDir, port: opts.port });
  return {
    core,
    url: bridge.url,
    key: bridge.key,
    bridge,
    async close() {
      await bridge.app.close();
      core.close();
    },
  };
}
