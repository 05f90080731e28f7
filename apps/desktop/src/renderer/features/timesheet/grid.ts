import { localDate } from "@hoursync/contract";

export interface GridEntry {
  projectId: string | null;
  start: number;
  end: number | null;
}

export interface GridRow {
  projectId: string | null;
  /** Milliseconds per day, in the order of `days`. */
  perDay: number[];
  total: number;
}

export interface Grid {
  /** The local dates ("YYYY-MM-DD", in the workspace's zone) the grid shows. */
  days: string[];
  rows: GridRow[];
  dayTotals: number[];
  grandTotal: number;
}

/**
 * Projects by days from the person's entries: each entry counts on the day it starts in the
 * workspace's zone (the server's rule), a running one up to `now`. Rows follow `projectOrder`;
 * "no project" comes last.
 */
export function buildGrid(entries: GridEntry[], days: string[], timeZone: string, now: number, projectOrder: string[] = []): Grid {
  const index = new Map(days.map((d, i) => [d, i]));
  const rows = new Map<string | null, GridRow>();
  for (const e of entries) {
    const col = index.get(localDate(new Date(e.start), timeZone));
    if (col === undefined) continue;
    const ms = Math.max(0, (e.end ?? now) - e.start);
    let row = rows.get(e.projectId);
    if (!row) rows.set(e.projectId, (row = { projectId: e.projectId, perDay: days.map(() => 0), total: 0 }));
    row.perDay[col]! += ms;
    row.total += ms;
  }
  const rank = (id: string | null) => (id === null ? Number.MAX_SAFE_INTEGER : projectOrder.indexOf(id) === -1 ? projectOrder.length : projectOrder.indexOf(id));
  const sorted = [...rows.values()].sort((a, b) => rank(a.projectId) - rank(b.projectId));
  const dayTotals = days.map((_, i) => sorted.reduce((sum, r) => sum + r.perDay[i]!, 0));
  return { days, rows: sorted, dayTotals, grandTotal: dayTotals.reduce((a, b) => a + b, 0) };
}
