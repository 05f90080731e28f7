import type { TimerFacts } from "../core/attention/policy.js";
import type { DesktopCore } from "../core/desktop-core.js";
import type { LocalEntry } from "../core/store/entries.js";

/** The signed-in person's timer as the policies see it, or null when nobody is signed in. */
export function timerFacts(core: DesktopCore): (TimerFacts & { running: LocalEntry | null; recent: LocalEntry[] }) | null {
  let scope;
  try {
    scope = core.scope();
  } catch {
    return null;
  }
  const running = core.tracker.running(scope);
  const since = Date.now() - 14 * 86_400_000;
  const recent = core.tracker
    .list(scope, { from: since })
    .filter((e) => e.end !== null)
    .sort((a, b) => b.start - a.start);
  return { running, recent, runningSince: running?.start ?? null, lastEndedAt: recent[0]?.end ?? null };
}
