import { Notification } from "electron";
import { shouldRemind, stopAtDue } from "../core/attention/policy.js";
import type { DesktopCore } from "../core/desktop-core.js";
import { timerFacts } from "./timer-facts.js";

/** Once a minute: a notification when no timer runs in working hours, and the "stop at" time for a forgotten timer. */
export function installReminders(core: DesktopCore, onClick: () => void, everyMs = 60_000): () => void {
  let lastRemindedAt: number | null = null;
  const check = () => {
    const facts = timerFacts(core);
    if (!facts) return;
    const prefs = core.preferences();
    const now = Date.now();
    const due = stopAtDue(prefs, now, facts);
    if (due !== null) {
      core.tracker.stop(core.scope(), due);
      core.changes.emit(["entries", "sync"]);
      show("Timer stopped", `Your timer was still running at ${prefs.stopAt}, so it was stopped then.`, onClick);
      return;
    }
    if (shouldRemind(prefs, now, facts, lastRemindedAt)) {
      lastRemindedAt = now;
      show("No timer running", "What are you working on? Start a timer to track it.", onClick);
    }
  };
  const timer = setInterval(check, everyMs);
  return () => clearInterval(timer);
}

function show(title: string, body: string, onClick: () => void) {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body, silent: true });
  n.on("click", onClick);
  n.show();
}
