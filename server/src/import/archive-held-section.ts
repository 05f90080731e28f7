import { randomUUID } from "node:crypto";
import { z } from "zod";
import { id, role, type Role } from "../contract/common.js";
import { heldAttachment, heldEntry, heldTimesheet } from "../domain/held-rows.js";
import { malformed } from "./archive-errors.js";
import { attachmentRecord, entryRecord, timesheetRecord, type SectionRows } from "./archive-records.js";

/**
 * held.json (archive format 2): the rows the exporting workspace held for
 * pending invitations, one per held row, with the invitation's e-mail
 * address and role. The payload is the held row's as stored there
 * (server/src/domain/held-rows.ts), its ids the exporter's, as in the other
 * files.
 */
const common = { email: z.email().max(320), role };
export const heldRecord = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("entry"), project_id: id.nullable(), task_id: id.nullable(), payload: heldEntry }),
  z.object({ ...common, kind: z.literal("timesheet"), payload: heldTimesheet }),
  z.object({ ...common, kind: z.literal("attachment"), payload: heldAttachment }),
]);
export type HeldRecord = z.infer<typeof heldRecord>;

/** Someone the archive held rows for: no account in the archive, so a stand-in user id made here names their rows. */
export interface PendingPerson {
  email: string;
  role: Role;
  /** Made here, per import: it collides with no archived id and names nobody on this server. */
  userId: string;
}

type PersonalRows = Pick<SectionRows, "entries" | "timesheets" | "attachments">;

/** A payload as the archive's own row of its kind, through that row's schema: the same limits as an archived member's rows. */
function asRecord<S extends z.ZodType>(schema: S, value: unknown, i: number): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw malformed(`held.json row ${i}: payload: ${issue.path.join(".") || "row"}: ${issue.message}`, `held.json[${i}]`);
  }
  return parsed.data;
}

/**
 * Turns held rows back into what an archived member's own rows are
 * (entries, timesheets, attachments, each by a user id), so the import
 * treats them alike: kept as the importer's when the e-mail address is
 * theirs, else held again for that person, with the same checks and one id
 * map. Each person gets a stand-in user id; an attachment uploaded by the
 * person themselves (uploadedBy null) names it too.
 */
export function unfoldHeld(records: HeldRecord[]): { rows: PersonalRows; pending: PendingPerson[] } {
  const people = new Map<string, PendingPerson>();
  const rows: PersonalRows = { entries: [], timesheets: [], attachments: [] };
  records.forEach((r, i) => {
    const email = r.email.toLowerCase();
    const person = people.get(email) ?? { email, role: r.role, userId: randomUUID() };
    people.set(email, person);
    if (r.kind === "entry") {
      const e = r.payload;
      rows.entries.push(
        asRecord(entryRecord, {
          id: e.id,
          user_id: person.userId,
          project_id: r.project_id,
          task_id: r.task_id,
          description: e.description,
          start_at: e.start,
          end_at: e.end,
          billable: e.billable,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
          tag_ids: e.tagIds,
        }, i),
      );
    } else if (r.kind === "timesheet") {
      const t = r.payload;
      rows.timesheets.push(
        asRecord(timesheetRecord, {
          id: t.id,
          user_id: person.userId,
          period_start: t.periodStart,
          period_end: t.periodEnd,
          status: t.status,
          comment: t.comment,
          submitted_at: t.submittedAt,
          decided_at: t.decidedAt,
          decided_by: t.decidedBy,
          created_at: t.createdAt,
          updated_at: t.updatedAt,
        }, i),
      );
    } else {
      const a = r.payload;
      rows.attachments.push(
        asRecord(attachmentRecord, {
          id: a.id,
          entry_id: a.entryId,
          user_id: person.userId,
          uploaded_by: a.uploadedBy ?? person.userId,
          original_name: a.originalName,
          size_bytes: a.sizeBytes,
          content_type: a.contentType,
          sha256: a.sha256,
          created_at: a.createdAt,
        }, i),
      );
    }
  });
  return { rows, pending: [...people.values()] };
}
