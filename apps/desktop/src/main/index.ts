import { randomUUID } from "node:crypto";
import { app, dialog, type BrowserWindow } from "electron";
import { DesktopCore, defaultDeviceName } from "../core/desktop-core.js";
import { defaultSettings } from "../core/settings/settings.js";
import { watchConnectivity } from "./connectivity.js";
import { installIdleMonitor } from "./idle-monitor.js";
import { serveLocalApiOverIpc } from "./local-api-ipc.js";
import { createMainWindow } from "./main-window.js";
import { installReminders } from "./reminders.js";
import { installSaveDialog } from "./save-dialog.js";
import { electronSecretBox } from "./secret-box.js";
import { electronSettingsStore } from "./settings-store.js";
import { installShortcut } from "./shortcut.js";
import { installTray } from "./tray.js";
import { windowStateStore } from "./window-state.js";

let mainWindow: BrowserWindow | null = null;

/** Adapts Electron to the core: settings, token sealing, IPC, connectivity. Windows, tray and the rest come in `installShell`. */
export function startDesktop(): DesktopCore {
  const settings = electronSettingsStore(defaultSettings(randomUUID(), defaultDeviceName()));
  // `npm start` points a signed-out app at the server it started.
  const serverUrl = process.env.HOURSYNC_SERVER_URL;
  if (serverUrl && !settings.get("session")) settings.set("serverUrl", serverUrl);
  const core = new DesktopCore({ dataDir: app.getPath("userData"), settings, secretBox: electronSecretBox() });
  serveLocalApiOverIpc(core, () => mainWindow);
  core.startBackgroundSync();
  const stopWatching = watchConnectivity(() => core.engine.nudge());
  app.on("before-quit", () => {
    stopWatching();
    core.close();
  });
  return core;
}

function showWindow() {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * The shell around the core, each part a small adapter with its own disposer: the window
 * (remembering its place), tray, global shortcut, idle monitor, reminders, the exports' save
 * dialog, start at login.
 */
export function installShell(core: DesktopCore): () => void {
  const windowState = windowStateStore();
  const prefs = core.preferences();
  let quitting = false;
  app.on("before-quit", () => {
    quitting = true;
  });
  mainWindow = createMainWindow({ bounds: windowState.load(), show: !prefs.startMinimized, onBoundsChange: windowState.save });
  // Closing the window keeps the app (and a running timer) in the tray.
  mainWindow.on("close", (event) => {
    if (!quitting) {
      event.preventDefault();
      mainWindow?.hide();
    }
  });
  const quit = () => {
    const running = (() => {
      try {
        return core.tracker.running(core.scope());
      } catch {
        return null;
      }
    })();
    if (running) {
      // A running timer is a row: it keeps counting and is there at the next start.
      void dialog.showMessageBox({ type: "info", message: "Your timer keeps running", detail: "It is saved on this device; stop it in Hoursync when you are done.", buttons: ["OK"] });
    }
    quitting = true;
    app.quit();
  };
  const disposers = [
    installTray(core, { show: showWindow, quit }),
    installShortcut(core, (message) => console.warn(message)),
    installIdleMonitor(core, showWindow),
    installReminders(core, showWindow),
    installSaveDialog(core, () => mainWindow),
  ];
  const applyLoginItem = () => app.setLoginItemSettings({ openAtLogin: core.preferences().startAtLogin, openAsHidden: core.preferences().startMinimized });
  applyLoginItem();
  disposers.push(core.changes.subscribe((e) => e.topics.includes("settings") && applyLoginItem()));
  return () => disposers.forEach((dispose) => dispose());
}

if (!process.env.VITEST) {
  // One app per person: a second launch shows the first one's window.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    app.on("second-instance", showWindow);
    void app.whenReady().then(() => {
      const core = startDesktop();
      const dispose = installShell(core);
      app.on("activate", showWindow);
      app.on("before-quit", dispose);
    });
    // The tray keeps the app alive with no window open.
    app.on("window-all-closed", () => undefined);
  }
}
