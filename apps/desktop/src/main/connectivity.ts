import { net, powerMonitor } from "electron";

/**
 * Calls `onBackOnline` when the machine regains a network (polled, since
 * Electron has no event for it) or wakes from sleep: the sync engine then
 * syncs at once instead of waiting out its backoff.
 */
export function watchConnectivity(onBackOnline: () => void, pollMs = 10_000): () => void {
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) onBackOnline();
    online = now;
  }, pollMs);
  powerMonitor.on("resume", onBackOnline);
  return () => {
    clearInterval(timer);
    powerMonitor.off("resume", onBackOnline);
  };
}
