import { randomUUID } from "node:crypto";
import type { EntryState } from "../server/src/sync/bulk-writes.js";

/** Entries `from` to `to` (exclusive) of a series starting at `base`, ten minutes apart, five long. */
export function benchEntries(base: number, from: number, to: number): EntryState[] {
  const rows: EntryState[] = [];
  for (let j = from; j < to; j++) {
    rows.push({
      id: randomUUID(),
      projectId: null,
      taskId: null,
      description: `entry ${j}`,
      start: new Date(base + j * 600_000),
      end: new Date(base + j * 600_000 + 300_000),
      billable: false,
      tagIds: [],
    });
  }
  return rows;
}
