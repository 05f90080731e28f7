import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { wireFormat } from "@hoursync/contract/wire-format";
import type { LocalRouter } from "../../core/api/local-router";
import { ipcLink, type HoursyncBridge } from "./ipc-link";

export type LocalInputs = inferRouterInputs<LocalRouter>;
export type LocalOutputs = inferRouterOutputs<LocalRouter>;

/** The header the HTTP bridge checks (the per-launch key). */
export const LOCAL_KEY_HEADER = "x-hoursync-local-key";

declare global {
  interface Window {
    /** Set by the preload script in Electron; absent in a browser. */
    hoursync?: HoursyncBridge;
  }
}

/** The per-launch key of the HTTP bridge, from the page's URL fragment (kept for reloads in this tab). */
function bridgeKey(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("key");
  // Kept for a reload without the fragment; written after the first screen's reads have left (the
  // first touch of sessionStorage is a trip to the browser process).
  if (fromHash) setTimeout(() => sessionStorage.setItem("hoursync-key", fromHash), 0);
  return fromHash ?? sessionStorage.getItem("hoursync-key") ?? "";
}

function browserLinks(): TRPCLink<LocalRouter>[] {
  const key = bridgeKey();
  const url = `${window.location.origin}/local-api`;
  return [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url, transformer: wireFormat, connectionParams: () => ({ key }) }),
      false: httpLink({ url, transformer: wireFormat, headers: () => ({ [LOCAL_KEY_HEADER]: key }) }),
    }),
  ];
}

/**
 * The one client of the local API: over IPC in Electron (the preload's `hoursync` door), over
 * HTTP to the core's bridge in a browser.
 */
export const api = createTRPCClient<LocalRouter>({
  links: window.hoursync ? [ipcLink(window.hoursync)] : browserLinks(),
});

/** "electron" or "browser": the UI says which where it matters (file dialogs, tray). */
export const hostKind: "electron" | "browser" = window.hoursync ? "electron" : "browser";
