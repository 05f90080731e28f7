import { DomainError } from "./errors.js";

/**
 * The rules every time entry obeys, as pure functions over data loaded
 * beforehand, so the API (one entry) and the sync push (a batch of a
 * thousand) apply exactly the same rules.
 */
export interface EntryShape {
  id: string;
  projectId: string | null;
  taskId: string | null;
  tagIds: string[];
  start: Date;
  end: Date | null;
}

export interface KnownReferences {
  projects: Map<string, { archived: boolean }>;
  tasks: Map<string, { projectId: string }>;
  tagIds: Set<string>;
}

export function checkReferences(e: EntryShape, refs: KnownReferences): void {
  if (e.projectId) {
    const project = refs.projects.get(e.projectId);
    if (!project) throw new DomainError("NOT_FOUND", "Project not found");
    if (project.archived) throw new DomainError("VALIDATION", "This project is archived");
  }
  if (e.taskId) {
    const task = refs.tasks.get(e.taskId);
    if (!task) throw new DomainError("NOT_FOUND", "Task not found");
    if (task.projectId !== e.projectId) throw new DomainError("VALIDATION", "The task belongs to another project");
  }
  for (const tagId of e.tagIds) {
    if (!refs.tagIds.has(tagId)) throw new DomainError("NOT_FOUND", "Tag not found");
  }
}

export function checkTimes(e: { start: Date; end: Date | null }): void {
  if (e.end !== null && e.end <= e.start) throw new DomainError("VALIDATION", "End must be after start");
}

type Span = { start: Date; end: Date | null };

/** [a) and [b) share an instant; an open end runs forever. Back-to-back does not overlap. */
export function spansOverlap(a: Span, b: Span): boolean {
  const aEnd = a.end?.getTime() ?? Infinity;
  const bEnd = b.end?.getTime() ?? Infinity;
  return a.start.getTime() < bEnd && b.start.getTime() < aEnd;
}

interface Placed {
  id: string;
  start: number;
  /** Infinity for a running timer. */
  end: number;
}

/**
 * One user's entries as far as a change needs to know them: enough of the
 * timeline to tell whether a new span collides, updated as changes are
 * accepted. Spans on a timeline never overlap, so they sit sorted by start
 * and a new span only has to be compared with its two neighbours: a batch
 * of a thousand is decided in n log n, not n².
 */
export class Timeline {
  private readonly byId = new Map<string, Placed>();
  private readonly sorted: Placed[] = [];

  constructor(entries: Iterable<{ id: string } & Span> = []) {
    for (const e of entries) this.set(e);
  }

  checkFree(e: { id: string } & Span): void {
    const span = placed(e);
    const at = this.firstStartingAtOrAfter(span.start);
    let before = at - 1;
    if (this.sorted[before]?.id === span.id) before--;
    let after = at;
    if (this.sorted[after]?.id === span.id) after++;
    const left = this.sorted[before];
    const right = this.sorted[after];
    if ((left && left.end > span.start) || (right && right.start < span.end)) {
      throw new DomainError("OVERLAP", "This entry overlaps another of your entries");
    }
  }

  set(e: { id: string } & Span): void {
    this.remove(e.id);
    const span = placed(e);
    this.sorted.splice(this.firstStartingAtOrAfter(span.start), 0, span);
    this.byId.set(span.id, span);
  }

  remove(id: string): void {
    const span = this.byId.get(id);
    if (!span) return;
    this.byId.delete(id);
    for (let i = this.firstStartingAtOrAfter(span.start); i < this.sorted.length; i++) {
      if (this.sorted[i] === span) {
        this.sorted.splice(i, 1);
        return;
      }
    }
  }

  private firstStartingAtOrAfter(start: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const placed = (e: { id: string } & Span): Placed => ({ id: e.id, start: e.start.getTime(), end: e.end?.getTime() ?? Infinity });
