import { ipcMain } from "electron";
import superjson from "superjson";
import { createLocalCaller } from "../core/api/local-router.js";
import type { DesktopCore } from "../core/desktop-core.js";

export const LOCAL_API_CHANNEL = "hoursync:local-api";

export interface LocalApiRequest {
  path: string;
  /** superjson text of the input. */
  input: string;
}

/** The wire form of an answer: superjson text either way, so dates survive IPC. */
export type LocalApiResponse = { ok: true; data: string } | { ok: false; error: { message: string; code: string; reason: string | null } };

/** Serves the local API to the renderer over one IPC channel. */
export function serveLocalApiOverIpc(core: DesktopCore): void {
  const caller = createLocalCaller({ core });
  ipcMain.handle(LOCAL_API_CHANNEL, async (_event, req: LocalApiRequest): Promise<LocalApiResponse> => {
    const target = req.path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], caller);
    if (typeof target !== "function") {
      return { ok: false, error: { message: `No procedure ${req.path}`, code: "NOT_FOUND", reason: null } };
    }
    try {
      const data = await (target as (input: unknown) => Promise<unknown>)(superjson.parse(req.input));
      return { ok: true, data: superjson.stringify(data) };
    } catch (err) {
      const e = err as { message?: string; code?: string; cause?: { code?: string } };
      return { ok: false, error: { message: e.message ?? "Something went wrong", code: e.code ?? "INTERNAL_SERVER_ERROR", reason: e.cause?.code ?? null } };
    }
  });
}
