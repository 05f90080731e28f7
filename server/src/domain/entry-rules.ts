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

/**
 * One user's entries as far as a change needs to know them: enough of the
 * timeline to tell whether a new span collides, updated as changes are accepted.
 */
export class Timeline {
  private readonly spans = new Map<string, Span>();

  constructor(entries: Iterable<{ id: string } & Span> = []) {
    for (const e of entries) this.spans.set(e.id, { start: e.start, end: e.end });
  }

  checkFree(e: { id: string } & Span): void {
    for (const [id, span] of this.spans) {
      if (id !== e.id && spansOverlap(span, e)) {
        throw new DomainError("OVERLAP", "This entry overlaps another of your entries");
      }
    }
  }

  set(e: { id: string } & Span): void {
    this.spans.set(e.id, { start: e.start, end: e.end });
  }

  remove(id: string): void {
    this.spans.delete(id);
  }
}
