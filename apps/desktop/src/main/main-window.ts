import path from "node:path";
import { BrowserWindow, shell, type WebContents } from "electron";
import type { WindowBounds } from "./window-state.js";

/** Only http(s) links leave the app, and only to the system browser. */
export function isExternalWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** No navigation away from the app and no new windows; web links open in the system browser. */
export function guardNavigation(contents: WebContents, appUrl: () => string): void {
  contents.on("will-navigate", (event, url) => {
    if (url !== appUrl()) {
      event.preventDefault();
      if (isExternalWebLink(url)) void shell.openExternal(url);
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
}

export interface MainWindowOptions {
  bounds: WindowBounds;
  show: boolean;
  onBoundsChange: (bounds: WindowBounds) => void;
}

/**
 * The app's one window, secure by default: context isolation, the OS sandbox, no Node in the
 * page, and only the preload's `hoursync` door. The page's CSP (index.html) allows no remote
 * code and no eval.
 */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...opts.bounds,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: "Hoursync",
    webPreferences: {
      // electron-vite injects __dirname for the ESM main bundle; do not declare it here.
      preload: path.join(__dirname, "../preload/index.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (opts.bounds.maximized) win.maximize();
  win.once("ready-to-show", () => opts.show && win.show());
  const remember = () => opts.onBoundsChange({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  win.on("resized", remember);
  win.on("moved", remember);
  win.on("maximize", remember);
  win.on("unmaximize", remember);

  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const appUrl = () => win.webContents.getURL();
  guardNavigation(win.webContents, appUrl);
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(path.join(__dirname, "../renderer/index.html"));
  return win;
}
