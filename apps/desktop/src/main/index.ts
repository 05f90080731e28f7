import { randomUUID } from "node:crypto";
import path from "node:path";
import { app, BrowserWindow } from "electron";
import { DesktopCore, defaultDeviceName } from "../core/desktop-core.js";
import { defaultSettings } from "../core/settings/settings.js";
import { watchConnectivity } from "./connectivity.js";
import { serveLocalApiOverIpc } from "./local-api-ipc.js";
import { electronSecretBox } from "./secret-box.js";
import { electronSettingsStore } from "./settings-store.js";

// electron-vite injects __dirname for the ESM main bundle; do not declare it here.
function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    title: "Hoursync",
    webPreferences: {
      preload: path.join(__dirname, "../preload/index.mjs"),
      contextIsolation: true,
      sandbox: false,
      nodeIntegration: false,
    },
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, "../renderer/index.html"));
  return win;
}

/** Adapts Electron to the core: settings, token sealing, IPC, connectivity. Nothing else lives here. */
export function startDesktop(): DesktopCore {
  const core = new DesktopCore({
    dataDir: app.getPath("userData"),
    settings: electronSettingsStore(defaultSettings(randomUUID(), defaultDeviceName())),
    secretBox: electronSecretBox(),
  });
  serveLocalApiOverIpc(core);
  core.startBackgroundSync();
  const stopWatching = watchConnectivity(() => core.engine.nudge());
  app.on("before-quit", () => {
    stopWatching();
    core.close();
  });
  return core;
}

if (!process.env.VITEST) {
  void app.whenReady().then(() => {
    startDesktop();
    createWindow();
    app.on("activate", () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });
}
