import type { LocalEntry } from "../store/entries.js";

/** The wire form of an entry.put mutation (the server validates it with its own schema). */
export function entryPutArgs(e: LocalEntry) {
  return {
    id: e.id,
    start: new Date(e.start).toISOString(),
    end: e.end === null ? null : new Date(e.end).toISOString(),
    projectId: e.projectId,
    taskId: e.taskId,
    description: e.description,
    billable: e.billable,
    tagIds: e.tagIds,
  };
}
