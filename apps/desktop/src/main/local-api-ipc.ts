import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import { wireFormat } from "@hoursync/contract/wire-format";
import { createLocalCaller } from "../core/api/local-router.js";
import type { DesktopCore } from "../core/desktop-core.js";

export const LOCAL_API_CHANNEL = "hoursync:local-api";
export const CHANGES_CHANNEL = "hoursync:changes";

export interface LocalApiRequest {
  path: string;
  /** The input as wire-format text (superjson's format). */
  input: string;
}

/** The wire form of an answer: superjson's format as text either way, so dates survive IPC. */
export type LocalApiResponse = { ok: true; data: string } | { ok: false; error: { message: string; code: string; reason: string | null } };

/**
 * Serves the local API to the renderer over one IPC channel, and forwards the core's change
 * events to the window. `window()` names the app's window: a call from any other web contents or
 * frame (an embedded page, another window) is refused.
 */
export function serveLocalApiOverIpc(core: DesktopCore, window: () => BrowserWindow | null = () => null): () => void {
  const caller = createLocalCaller({ core });
  const fromOurWindow = (event: IpcMainInvokeEvent) => {
    const win = window();
    // Without a window yet (tests of the wiring), only a sender with no frame is ours.
    if (!win) return true;
    return event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame;
  };
  ipcMain.handle(LOCAL_API_CHANNEL, async (event, req: LocalApiRequest): Promise<LocalApiResponse> => {
    if (!fromOurWindow(event)) {
      return { ok: false, error: { message: "Not the app's window", code: "FORBIDDEN", reason: null } };
    }
    const target = req.path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], caller);
    if (typeof target !== "function") {
      return { ok: false, error: { message: `No procedure ${req.path}`, code: "NOT_FOUND", reason: null } };
    }
    try {
      const data = await (target as (input: unknown) => Promise<unknown>)(wireFormat.parse(req.input));
      return { ok: true, data: wireFormat.stringify(data) };
    } catch (err) {
      const e = err as { message?: string; code?: string; cause?: { code?: string } };
      return { ok: false, error: { message: e.message ?? "Something went wrong", code: e.code ?? "INTERNAL_SERVER_ERROR", reason: e.cause?.code ?? null } };
    }
  });
  const stopForwarding = core.changes.subscribe((change) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(CHANGES_CHANNEL, wireFormat.stringify(change));
  });
  return () => {
    stopForwarding();
    ipcMain.removeHandler(LOCAL_API_CHANNEL);
  };
}
