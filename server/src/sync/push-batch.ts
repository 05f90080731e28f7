import type { z } from "zod";
import { mutationArgs, type MutationResult, type RejectReason } from "../contract/sync.js";
import type { TenantDb } from "../db/tenant.js";
import { loadEntryContext } from "../domain/entry-context.js";
import { checkReferences, checkTimes } from "../domain/entry-rules.js";
import { DomainError, type DomainReason } from "../domain/errors.js";
import type { Actor } from "../domain/time-entries.js";
import { insertEntries, replaceTags, updateEntries } from "./bulk-writes.js";

export const REJECT_REASON: Record<DomainReason, RejectReason> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  VALIDATION: "VALIDATION",
  OVERLAP: "CONFLICT",
  CONFLICT: "CONFLICT",
  LOCKED_PERIOD: "LOCKED_PERIOD",
};

type Put = z.output<(typeof mutationArgs)["entry.put"]>;
type Decoded =
  | { mutationId: number; kind: "put"; entry: Put }
  | { mutationId: number; kind: "delete"; id: string }
  | { mutationId: number; kind: "invalid"; message: string };

function decode(m: { mutationId: number; name: string; args: unknown }): Decoded {
  const schema = m.name === "entry.put" || m.name === "entry.delete" ? mutationArgs[m.name] : null;
  // The name is echoed as JSON, so whatever it holds the stored message is storable text.
  if (!schema) return { mutationId: m.mutationId, kind: "invalid", message: `Unknown mutation ${JSON.stringify(m.name)}` };
  const parsed = schema.safeParse(m.args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { mutationId: m.mutationId, kind: "invalid", message: `${issue?.path.join(".") || "args"}: ${issue?.message ?? "invalid"}` };
  }
  return m.name === "entry.put"
    ? { mutationId: m.mutationId, kind: "put", entry: parsed.data as Put }
    : { mutationId: m.mutationId, kind: "delete", id: (parsed.data as { id: string }).id };
}

interface FinalState {
  /** The entry existed before the batch. */
  existed: boolean;
  /** null: deleted by the batch. */
  entry: Put | null;
}

/**
 * Decides a batch of new mutations against everything it touches, loaded up
 * front (a handful of queries), then writes the net effect in bulk. Devices
 * only change their own user's entries. Returns one result per mutation.
 */
export async function applyBatch(
  db: TenantDb,
  tenantId: string,
  actor: Actor,
  mutations: { mutationId: number; name: string; args: unknown }[],
): Promise<MutationResult[]> {
  const decoded = mutations.map(decode);
  const puts = decoded.flatMap((d) => (d.kind === "put" ? [d.entry] : []));
  const ids = [...new Set(decoded.flatMap((d) => (d.kind === "put" ? [d.entry.id] : d.kind === "delete" ? [d.id] : [])))];

  const {
    known: { existing, deleted },
    references: refs,
    timeline,
    locks,
  } = await loadEntryContext(db, tenantId, actor.userId, ids, puts);
  const startOf = new Map(existing.map((e) => [e.id, e.start]));
  const owners = new Map(existing.map((e) => [e.id, e.userId]));
  const finals = new Map<string, FinalState>();
  const results: MutationResult[] = [];

  const reject = (mutationId: number, reason: RejectReason, message: string) =>
    results.push({ mutationId, status: "rejected", reason, message });

  for (const d of decoded) {
    if (d.kind === "invalid") {
      reject(d.mutationId, "VALIDATION", d.message);
      continue;
    }
    const id = d.kind === "put" ? d.entry.id : d.id;
    const owner = owners.get(id);
    try {
      if (owner !== undefined && owner !== actor.userId) throw new DomainError("FORBIDDEN", "This entry belongs to someone else");
      const state = finals.get(id);
      const present = state ? state.entry !== null : owner !== undefined;
      if (d.kind === "put") {
        if (!present && deleted.has(id)) {
          throw new DomainError("CONFLICT", "This entry was deleted (on another device or by an admin)");
        }
        const before = startOf.get(id);
        locks.assertOpen(...(before ? [before] : []), d.entry.start);
        checkTimes(d.entry);
        checkReferences(d.entry, refs);
        timeline.checkFree(d.entry);
        timeline.set(d.entry);
        startOf.set(id, d.entry.start);
        finals.set(id, { existed: state?.existed ?? owner !== undefined, entry: d.entry });
      } else if (present) {
        const before = startOf.get(id);
        if (before) locks.assertOpen(before);
        timeline.remove(id);
        deleted.add(id);
        finals.set(id, { existed: state?.existed ?? true, entry: null });
      }
      // Deleting what is already gone is what the device wants: applied.
      results.push({ mutationId: d.mutationId, status: "applied" });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reject(d.mutationId, REJECT_REASON[err.reason], err.message);
    }
  }

  await writeFinalStates(db, tenantId, actor.userId, finals);
  return results;
}

async function writeFinalStates(db: TenantDb, tenantId: string, userId: string, finals: Map<string, FinalState>) {
  const toDelete: string[] = [];
  const toCreate: Put[] = [];
  const toUpdate: Put[] = [];
  for (const [id, f] of finals) {
    if (f.entry === null) {
      if (f.existed) toDelete.push(id);
    } else if (f.existed) toUpdate.push(f.entry);
    else toCreate.push(f.entry);
  }
  // Checked against the whole batch in memory; the database re-checks at commit.
  await db.$executeRaw`SET CONSTRAINTS time_entries_no_overlap DEFERRED`;
  if (toDelete.length) await db.timeEntry.deleteMany({ where: { tenantId, id: { in: toDelete } } });
  await updateEntries(db, tenantId, toUpdate);
  await insertEntries(db, tenantId, userId, toCreate);
  await replaceTags(db, tenantId, [...toUpdate, ...toCreate], new Set(toUpdate.map((e) => e.id)));
}
