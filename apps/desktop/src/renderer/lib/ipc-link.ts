import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { wireFormat } from "@hoursync/contract/wire-format";
import type { LocalRouter } from "../../core/api/local-router";

/** What the preload exposes: one call into the local API, and the core's change events. */
export interface HoursyncBridge {
  call(path: string, input: string): Promise<{ ok: true; data: string } | { ok: false; error: { message: string; code: string; reason: string | null } }>;
  onChange(listener: (event: string) => void): () => void;
}

/**
 * A tRPC link over the preload's door (the shape of electron-trpc's ipcLink): queries and
 * mutations go through `call`, the change subscription through `onChange`.
 */
export function ipcLink(bridge: HoursyncBridge): TRPCLink<LocalRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        if (op.type === "subscription") {
          return bridge.onChange((event) => observer.next({ result: { type: "data", data: wireFormat.parse(event) } }));
        }
        let live = true;
        bridge.call(op.path, wireFormat.stringify(op.input)).then(
          (res) => {
            if (!live) return;
            if (res.ok) {
              observer.next({ result: { type: "data", data: wireFormat.parse(res.data) } });
              observer.complete();
            } else {
              const { message, code, reason } = res.error;
              observer.error(TRPCClientError.from({ error: { message, code: -32000, data: { code, reason } } }));
            }
          },
          (err: unknown) => observer.error(TRPCClientError.from(err instanceof Error ? err : new Error(String(err)))),
        );
        return () => {
          live = false;
        };
      });
}
