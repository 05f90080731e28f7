import { randomUUID } from "node:crypto";
import type { TenantDb } from "../db/tenant.js";
import { loadEntryContext } from "../domain/entry-context.js";
import { spansOverlap, Timeline } from "../domain/entry-rules.js";
import { DomainError } from "../domain/errors.js";
import type { ResolvedRow } from "./csv-resolve.js";

/** A row that passed every rule, with the id its entry gets. */
export interface AcceptedRow extends ResolvedRow {
  id: string;
}

export type TimeDecision = { ok: true; row: AcceptedRow } | { ok: false; row: number; reason: string };

const key = (userId: string, start: Date, end: Date, description: string) =>
  JSON.stringify([userId, start.toISOString(), end.toISOString(), description]);

/** Entries already stored that a row would repeat exactly (same person, start, end and description). */
async function storedTwins(db: TenantDb, tenantId: string, rows: ResolvedRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const probes = JSON.stringify(rows.map((r) => ({ u: r.userId, s: r.start.toISOString() })));
  // Equality on (tenant, user, start): an index probe per row.
  const found = await db.$queryRaw<{ userId: string; start: Date; end: Date | null; description: string }[]>`
    SELECT DISTINCT t.user_id::text AS "userId", t.start_at AS start, t.end_at AS "end", t.description
    FROM jsonb_to_recordset(${probes}::jsonb) AS r(u uuid, s timestamptz)
    JOIN time_entries t ON t.tenant_id = ${tenantId}::uuid AND t.user_id = r.u AND t.start_at = r.s`;
  return new Set(found.filter((f) => f.end).map((f) => key(f.userId, new Date(f.start), new Date(f.end!), f.description)));
}

/**
 * The rules every entry obeys, as the entry API and the sync push apply
 * them (the same lock check and timeline), plus the import's own: a row
 * that repeats a stored entry or an earlier row is a duplicate, named so.
 * Rows are decided in file order, each against the stored entries and the
 * rows accepted before it.
 */
export async function checkTimes(db: TenantDb, tenantId: string, rows: ResolvedRow[]): Promise<TimeDecision[]> {
  const twins = await storedTwins(db, tenantId, rows);
  const byPerson = new Map<string, ResolvedRow[]>();
  for (const r of rows) {
    const own = byPerson.get(r.userId);
    if (own) own.push(r);
    else byPerson.set(r.userId, [r]);
  }

  const decided = new Map<number, TimeDecision>();
  for (const [userId, own] of byPerson) {
    const shapes = own.map((r) => ({ id: randomUUID(), projectId: null, taskId: null, tagIds: [], start: r.start, end: r.end }));
    const { timeline: stored, locks } = await loadEntryContext(db, tenantId, userId, [], shapes);
    const fromFile = new Timeline();
    const accepted: AcceptedRow[] = [];
    const seen = new Map<string, number>();
    own.forEach((r, i) => {
      const refuse = (reason: string) => decided.set(r.row, { ok: false, row: r.row, reason });
      const span = { id: shapes[i]!.id, start: r.start, end: r.end };
      const k = key(userId, r.start, r.end, r.description);
      if (twins.has(k)) return refuse(`it duplicates an entry ${r.email} already has (same start, end and description)`);
      if (seen.has(k)) return refuse(`it duplicates row ${seen.get(k)}`);
      try {
        locks.assertOpen(r.start);
      } catch (err) {
        if (err instanceof DomainError) return refuse(`its time is in a locked period of ${r.email} (approved, or closed by an admin)`);
        throw err;
      }
      if (!free(stored, span)) return refuse(`it overlaps an entry ${r.email} already has`);
      if (!free(fromFile, span)) {
        const other = accepted.find((a) => spansOverlap(a, span));
        return refuse(`it overlaps row ${other?.row ?? "?"} (the same person's time)`);
      }
      fromFile.set(span);
      seen.set(k, r.row);
      const row = { ...r, id: span.id };
      accepted.push(row);
      decided.set(r.row, { ok: true, row });
    });
  }
  return rows.map((r) => decided.get(r.row)!);
}

function free(timeline: Timeline, span: { id: string; start: Date; end: Date }): boolean {
  try {
    timeline.checkFree(span);
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.reason === "OVERLAP") return false;
    throw err;
  }
}
