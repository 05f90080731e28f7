import type { ApiClient } from "./server.js";

/** What a workspace's audit log says one outsider was refused: attempts in all, and per procedure. */
export interface DeniedTally {
  /** How many hourly access.denied rows the outsider has. */
  rows: number;
  count: number;
  procedures: Record<string, number>;
  reasons: string[];
}

/** Sums the outsider's access.denied rows (one per hour) in the log `api`'s workspace. */
export async function deniedTally(api: ApiClient, actorUserId: string): Promise<DeniedTally> {
  const log = await api.workspace.auditLog.query({ action: "access.denied", page: { limit: 500, cursor: 0 } });
  const tally: DeniedTally = { rows: 0, count: 0, procedures: {}, reasons: [] };
  for (const row of log.items.filter((e) => e.actorUserId === actorUserId)) {
    const details = row.details as { count: number; procedures: Record<string, number>; reason: string };
    tally.rows++;
    tally.count += details.count;
    for (const [p, n] of Object.entries(details.procedures)) tally.procedures[p] = (tally.procedures[p] ?? 0) + n;
    if (!tally.reasons.includes(details.reason)) tally.reasons.push(details.reason);
  }
  return tally;
}
