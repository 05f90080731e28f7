import path from "node:path";
import { app, dialog, type BrowserWindow } from "electron";
import type { DesktopCore } from "../core/desktop-core.js";

/**
 * Lets the core ask where to save a CSV export: the system's save dialog, over the app's window,
 * starting in Downloads with the server's file name. The core then streams the file there itself,
 * so the window never touches the file system.
 */
export function installSaveDialog(core: DesktopCore, window: () => BrowserWindow | null): () => void {
  core.exports.savePicker = async (suggestedName) => {
    const options = {
      title: "Save the export",
      defaultPath: path.join(app.getPath("downloads"), suggestedName),
      filters: [{ name: "CSV", extensions: ["csv"] }],
    };
    const win = window();
    const answer = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return answer.canceled || !answer.filePath ? null : answer.filePath;
  };
  return () => {
    core.exports.savePicker = null;
  };
}
