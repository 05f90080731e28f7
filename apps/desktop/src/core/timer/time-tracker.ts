import { randomUUID } from "node:crypto";
import { z } from "zod";
import { description, EARLIEST, LATEST, LOCKED_PERIOD_MESSAGE, lockCheckerOf, mutationArgs } from "@hoursync/contract";
import { LocalError } from "../errors.js";
import type { CatalogStore } from "../store/catalog.js";
import type { EntryStore, LocalEntry } from "../store/entries.js";
import type { LocalDb } from "../store/local-db.js";
import type { Outbox } from "../store/outbox.js";
import { entryPutArgs } from "../sync/mutations.js";
import { parseInput } from "../validation.js";
import { UNDO_DELETE_MS } from "./undo-window.js";

const details = z.object({
  projectId: z.uuid().nullable().default(null),
  taskId: z.uuid().nullable().default(null),
  description: description.default(""),
  billable: z.boolean().default(false),
  tagIds: z.array(z.uuid()).max(50).default([]),
});
export type EntryDetails = z.input<typeof details>;

/** Epoch milliseconds inside the span the server accepts. */
const when = z
  .number()
  .int()
  .min(EARLIEST.getTime(), "Too far in the past")
  .max(LATEST.getTime(), "Too far in the future");

const manual = details.extend({ start: when, end: when }).refine((e) => e.end > e.start, {
  message: "End must be after start",
  path: ["end"],
});

const changes = z
  .object({
    projectId: z.uuid().nullable(),
    taskId: z.uuid().nullable(),
    description,
    billable: z.boolean(),
    tagIds: z.array(z.uuid()).max(50),
    start: when,
    end: when.nullable(),
  })
  .partial();
export type EntryChanges = z.input<typeof changes>;

/** Who is tracking where: every operation works inside one workspace for one user. */
export interface Scope {
  workspaceId: string;
  userId: string;
}

/**
 * Everything an employee does with time, offline. Each change and the outbox
 * mutation that will carry it to the server are written in one transaction.
 */
export class TimeTracker {
  constructor(
    private readonly db: LocalDb,
    private readonly entries: EntryStore,
    private readonly outbox: Outbox,
    private readonly catalog: CatalogStore,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = randomUUID,
    /** How long after a deletion `restore` may bring the entry back (sync holds the deletion as long). */
    private readonly undoWindowMs = UNDO_DELETE_MS,
  ) {}

  list(scope: Scope, range: { from?: number; to?: number } = {}): LocalEntry[] {
    return this.entries.list(scope.workspaceId, scope.userId, range);
  }

  running(scope: Scope): LocalEntry | null {
    return this.entries.running(scope.workspaceId, scope.userId);
  }

  start(scope: Scope, input: EntryDetails = {}, at = this.now()): LocalEntry {
    const d = parseInput(details, input);
    return this.db.transaction(() => {
      if (this.entries.running(scope.workspaceId, scope.userId)) {
        throw new LocalError("TIMER_RUNNING", "A timer is already running: stop it or switch");
      }
      return this.save(scope, { ...d, id: this.newId(), start: at, end: null });
    })();
  }

  stop(scope: Scope, at = this.now()): LocalEntry {
    return this.db.transaction(() => {
      const running = this.entries.running(scope.workspaceId, scope.userId);
      if (!running) throw new LocalError("NO_TIMER", "No timer is running");
      // A timer stopped within the same millisecond still gets a positive duration.
      return this.save(scope, { ...running, end: Math.max(at, running.start + 1) }, running);
    })();
  }

  /** Stops the running timer (if any) and starts another at the same instant. */
  switchTo(scope: Scope, input: EntryDetails = {}, at = this.now()): LocalEntry {
    return this.db.transaction(() => {
      const stopped = this.entries.running(scope.workspaceId, scope.userId) ? this.stop(scope, at) : null;
      // A timer switched away from in the millisecond it started ends just after `at`: start where it ended.
      return this.start(scope, input, stopped?.end ?? at);
    })();
  }

  /** Starts a new timer with what the latest entry was about. */
  resumeLast(scope: Scope, at = this.now()): LocalEntry {
    return this.db.transaction(() => {
      const last = this.entries.latest(scope.workspaceId, scope.userId);
      if (!last) throw new LocalError("NOT_FOUND", "Nothing to resume yet");
      const { projectId, taskId, description, billable, tagIds } = last;
      return this.switchTo(scope, { projectId, taskId, description, billable, tagIds }, at);
    })();
  }

  createManual(scope: Scope, input: EntryDetails & { start: number; end: number }): LocalEntry {
    const e = parseInput(manual, input);
    return this.db.transaction(() => this.save(scope, { ...e, id: this.newId() }))();
  }

  update(scope: Scope, id: string, input: EntryChanges): LocalEntry {
    const c = parseInput(changes, input);
    return this.db.transaction(() => {
      const current = this.own(scope, id);
      // A field given as undefined (IPC keeps such keys) is not given: it must not blank the stored value.
      const given = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as typeof c;
      const next = { ...current, ...given };
      if (next.end !== null && next.end <= next.start) {
        throw new LocalError("VALIDATION", "End must be after start", { end: ["End must be after start"] });
      }
      return this.save(scope, next, current);
    })();
  }

  /** A copy of an entry placed right after it (or at `start`), with the same duration. */
  duplicate(scope: Scope, id: string, start?: number): LocalEntry {
    return this.db.transaction(() => {
      const original = this.own(scope, id);
      if (original.end === null) throw new LocalError("TIMER_RUNNING", "Stop the timer before duplicating it");
      const from = start ?? original.end;
      const copy = { ...original, id: this.newId(), start: from, end: from + (original.end - original.start) };
      return this.save(scope, copy, original);
    })();
  }

  remove(scope: Scope, id: string): void {
    this.db.transaction(() => {
      const entry = this.own(scope, id);
      this.assertOpen(scope.workspaceId, entry.start);
      this.entries.markDeleted(scope.workspaceId, id);
      this.outbox.append(scope.workspaceId, "entry.delete", id, { id }, this.now());
    })();
  }

  /**
   * Undoes a deletion: the same entry (same id, fields, tags and files) comes back. Possible
   * within the undo window, while sync holds the deletion: the queued deletion is cancelled, so
   * the server never loses the entry.
   */
  restore(scope: Scope, id: string): LocalEntry {
    return this.db.transaction(() => {
      const entry = this.entries.tombstone(scope.workspaceId, id);
      const deletion = this.outbox.latestOf(scope.workspaceId, id, "entry.delete");
      // Past the window sync may be sending the deletion: cancelling it then could race the server.
      if (!entry || entry.userId !== scope.userId || !deletion || deletion.createdAt + this.undoWindowMs <= this.now()) {
        throw new LocalError("NOT_FOUND", "Too late to undo: the deletion has already reached the server");
      }
      this.assertOpen(scope.workspaceId, entry.start);
      if (this.entries.overlapping(scope.workspaceId, scope.userId, entry.start, entry.end, id).length > 0) {
        throw new LocalError("OVERLAP", "Another entry now takes this time");
      }
      this.outbox.markApplied(deletion.mutationId);
      this.entries.unmarkDeleted(scope.workspaceId, id);
      return entry;
    })();
  }

  private own(scope: Scope, id: string): LocalEntry {
    const entry = this.entries.get(scope.workspaceId, id);
    if (!entry || entry.userId !== scope.userId) throw new LocalError("NOT_FOUND", "Time entry not found");
    return entry;
  }

  /** Validates and writes an entry with its outbox mutation. `before`: references it already had are not re-checked. */
  private save(
    scope: Scope,
    e: Omit<LocalEntry, "workspaceId" | "userId" | "updatedAt">,
    before?: LocalEntry,
  ): LocalEntry {
    // The server judges an entry by its start: an edit needs the old and the new one open.
    this.assertOpen(scope.workspaceId, ...(before?.id === e.id ? [before.start] : []), e.start);
    const unchanged =
      before && before.projectId === e.projectId && before.taskId === e.taskId && before.tagIds.join() === e.tagIds.join();
    if (!unchanged) this.checkReferences(scope.workspaceId, e);
    const clash = this.entries.overlapping(scope.workspaceId, scope.userId, e.start, e.end, e.id);
    if (clash.length > 0) {
      throw new LocalError("OVERLAP", "This entry overlaps another of your entries");
    }
    const entry: LocalEntry = { ...e, workspaceId: scope.workspaceId, userId: scope.userId, updatedAt: this.now() };
    const wire = entryPutArgs(entry);
    // The server's own schema for the mutation: what it would refuse is refused here, before it is queued.
    parseInput(mutationArgs["entry.put"], wire);
    this.entries.put(entry);
    this.outbox.append(scope.workspaceId, "entry.put", entry.id, wire, entry.updatedAt);
    return entry;
  }

  /** Refuses, before anything is queued, what the server would refuse as a locked period. */
  private assertOpen(ws: string, ...instants: number[]): void {
    const state = this.catalog.lockState(ws);
    if (state && lockCheckerOf(state, new Date(this.now())).firstLocked(...instants.map((i) => new Date(i)))) {
      throw new LocalError("LOCKED_PERIOD", LOCKED_PERIOD_MESSAGE);
    }
  }

  private checkReferences(ws: string, e: { projectId: string | null; taskId: string | null; tagIds: string[] }) {
    if (e.projectId && !this.catalog.project(ws, e.projectId)) {
      throw new LocalError("VALIDATION", "Unknown project", { projectId: ["Unknown project"] });
    }
    if (e.taskId) {
      const task = this.catalog.tasks(ws).find((t) => t.id === e.taskId);
      if (!task || task.projectId !== e.projectId) {
        throw new LocalError("VALIDATION", "The task does not belong to this project", { taskId: ["Not in this project"] });
      }
    }
    const known = new Set(this.catalog.tags(ws).map((t) => t.id));
    if (e.tagIds.some((t) => !known.has(t))) throw new LocalError("VALIDATION", "Unknown tag", { tagIds: ["Unknown tag"] });
  }
}
