import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import type { TenantDb } from "../db/tenant.js";
import { DomainError } from "../domain/errors.js";
import { heldAttachment, heldEntry, heldTimesheet } from "../domain/held-rows.js";

/** What became the accepting person's. */
export interface HandedOver {
  entries: number;
  timesheets: number;
  attachments: number;
}

/** An acceptance that hands over a large import's rows is many statements: the one transaction may take this long. */
export const HAND_OVER_TIMEOUT_MS = 120_000;
/** Rows per insert statement. */
const CHUNK = 1000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** A rule of the data model refused the hand-over: typed, without the database's words. */
function refusalOf(err: unknown): unknown {
  const state = dbFailureOf(err)?.sqlState;
  if (state === SQLSTATE.exclusionViolation) {
    return new DomainError("OVERLAP", "The time held for you in this workspace overlaps entries you already have there; nothing was changed");
  }
  if (state?.startsWith("23")) {
    return new DomainError("CONFLICT", "The rows held for you no longer fit this workspace (a timesheet of yours covers the same period); nothing was changed");
  }
  return err;
}

/**
 * Inside the accepting transaction: the rows held under `invitationId` (an
 * imported archive's entries, their tags, timesheets and attachments of the
 * invited person) become `userId`'s real rows, under the ids the import gave
 * them, and the held rows go. Attachment files stay where the import stored
 * them; the new attachment rows name them (so deleting the held rows queues
 * no file for removal: see 0012's trigger). A rule of the data model that
 * breaks (someone already a member whose own entries overlap the held time)
 * throws a typed refusal, and the caller's transaction undoes everything: the
 * invitation stays pending and the rows stay held.
 */
export async function handOverHeldRows(db: TenantDb, tenantId: string, invitationId: string, userId: string): Promise<HandedOver> {
  const held = await db.heldRow.findMany({ where: { tenantId, invitationId }, orderBy: { id: "asc" } });
  if (held.length === 0) return { entries: 0, timesheets: 0, attachments: 0 };
  const entries = held.filter((r) => r.kind === "entry").map((r) => ({ ...heldEntry.parse(r.payload), projectId: r.projectId, taskId: r.taskId }));
  const timesheets = held.filter((r) => r.kind === "timesheet").map((r) => heldTimesheet.parse(r.payload));
  const attachments = held.filter((r) => r.kind === "attachment").map((r) => ({ ...heldAttachment.parse(r.payload), storageKey: r.storageKey! }));

  // A tag deleted since the import is dropped, as deleting a tag drops it from every entry. (Projects
  // and tasks cannot have gone: the held rows' keys restrict their deletion, as entries' do.)
  const wanted = [...new Set(entries.flatMap((e) => e.tagIds))];
  const tags = new Set((await db.tag.findMany({ where: { tenantId, id: { in: wanted } }, select: { id: true } })).map((t) => t.id));

  try {
    await inChunks(entries, (c) =>
      db.timeEntry.createMany({
        data: c.map((e) => ({
          tenantId,
          id: e.id,
          userId,
          projectId: e.projectId,
          taskId: e.taskId,
          description: e.description,
          start: new Date(e.start),
          end: e.end === null ? null : new Date(e.end),
          billable: e.billable,
          createdAt: new Date(e.createdAt),
          updatedAt: new Date(e.updatedAt),
        })),
      }),
    );
    const entryTags = entries.flatMap((e) => e.tagIds.filter((t) => tags.has(t)).map((tagId) => ({ tenantId, entryId: e.id, tagId })));
    await inChunks(entryTags, (c) => db.timeEntryTag.createMany({ data: c, skipDuplicates: true }));
    await inChunks(timesheets, (c) =>
      db.timesheet.createMany({
        data: c.map((t) => ({
          tenantId,
          id: t.id,
          userId,
          periodStart: new Date(`${t.periodStart}T00:00:00Z`),
          periodEnd: new Date(`${t.periodEnd}T00:00:00Z`),
          status: t.status,
          comment: t.comment,
          submittedAt: new Date(t.submittedAt),
          decidedAt: t.decidedAt === null ? null : new Date(t.decidedAt),
          decidedBy: t.decidedBy,
          createdAt: new Date(t.createdAt),
          updatedAt: new Date(t.updatedAt),
        })),
      }),
    );
    await inChunks(attachments, (c) =>
      db.attachment.createMany({
        data: c.map((a) => ({
          tenantId,
          id: a.id,
          entryId: a.entryId,
          userId,
          uploadedBy: a.uploadedBy ?? userId,
          originalName: a.originalName,
          sizeBytes: BigInt(a.sizeBytes),
          contentType: a.contentType,
          sha256: a.sha256,
          storageKey: a.storageKey,
          createdAt: new Date(a.createdAt),
        })),
      }),
    );
  } catch (err) {
    throw refusalOf(err);
  }
  await db.heldRow.deleteMany({ where: { tenantId, invitationId } });
  return { entries: entries.length, timesheets: timesheets.length, attachments: attachments.length };
}
