/** What `syncSoon` needs of the core. */
interface Syncable {
  syncNow(): Promise<unknown>;
  engine: { activity(): { running: boolean; consecutiveFailures: number } };
}

const timers = new WeakMap<object, NodeJS.Timeout>();

/**
 * After a local write, sync shortly (writes close together share one run) so the person's
 * changes reach the server in seconds, not at the next interval. While the server is failing,
 * the engine's backoff decides instead: no hammering an unreachable server.
 */
export function syncSoon(core: Syncable, delayMs = 1500): void {
  if (core.engine.activity().consecutiveFailures > 0) return;
  clearTimeout(timers.get(core));
  const timer = setTimeout(() => {
    timers.delete(core);
    void core.syncNow().catch(() => undefined);
  }, delayMs);
  timer.unref?.();
  timers.set(core, timer);
}
