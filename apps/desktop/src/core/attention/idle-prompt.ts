import { LocalError } from "../errors.js";
import type { ChangeFeed } from "../events/change-feed.js";
import type { Scope, TimeTracker } from "../timer/time-tracker.js";

export type IdleAnswer = "keep" | "discard" | "discard-and-continue";

export interface PendingIdle {
  /** When the person went away (the policy's idleSince). */
  since: number;
  /** The running entry that kept counting meanwhile. */
  entryId: string;
  workspaceId: string;
}

/**
 * The question "you were away: keep that time?", asked once the idle policy says so and answered
 * in the window. Each answer is an ordinary local change (offline-safe, synced like any edit).
 */
export class IdlePrompt {
  private current: PendingIdle | null = null;

  constructor(
    private readonly tracker: TimeTracker,
    private readonly feed: ChangeFeed,
    private readonly now: () => number = Date.now,
  ) {}

  pending(): PendingIdle | null {
    return this.current;
  }

  /** Raised by the idle adapter (Electron's idle time and sleep), or by a test with its own clock. */
  report(scope: Scope, since: number): PendingIdle | null {
    const running = this.tracker.running(scope);
    if (!running || since >= this.now()) return null;
    // Keep the earliest moment of one absence; a new timer means a new question.
    if (this.current?.entryId !== running.id) {
      this.current = { since: Math.max(since, running.start), entryId: running.id, workspaceId: scope.workspaceId };
      this.feed.emit(["settings"]);
    }
    return this.current;
  }

  answer(scope: Scope, answer: IdleAnswer) {
    const pending = this.current;
    if (!pending || pending.workspaceId !== scope.workspaceId) throw new LocalError("NOT_FOUND", "There is no idle time to decide about");
    this.current = null;
    this.feed.emit(["settings", "entries"]);
    if (answer === "keep") return null;
    const entry = this.tracker.running(scope);
    if (!entry || entry.id !== pending.entryId) return null;
    // Discard: the entry ends when the person went away.
    const stopped = this.tracker.stop(scope, pending.since);
    if (answer === "discard") return stopped;
    return this.tracker.start(scope, {
      projectId: stopped.projectId,
      taskId: stopped.taskId,
      description: stopped.description,
      billable: stopped.billable,
      tagIds: stopped.tagIds,
    });
  }
}
