import { z } from "zod";
import { id } from "../contract/common.js";
import { timesheetStatuses } from "../contract/timesheets.js";

/**
 * Rows held for an invited person (table held_rows, 0012): the import writes
 * them, the hand-over on acceptance turns them into real rows of whoever
 * accepts. The payload is the row as it will be written, minus its user
 * (unknown until then) and what the table keeps as real columns (an entry's
 * project and task, an attachment's storage key). Ids are the new ones the
 * import made, so references between held rows (an attachment's entry) and
 * the restored audit log's targets already name the rows they will be.
 */

const isoInstant = z.iso.datetime({ offset: true });
const isoDay = z.iso.date();

export const heldEntry = z.object({
  id,
  description: z.string(),
  start: isoInstant,
  end: isoInstant.nullable(),
  billable: z.boolean(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  tagIds: z.array(id),
});

export const heldTimesheet = z.object({
  id,
  periodStart: isoDay,
  periodEnd: isoDay,
  status: z.enum(timesheetStatuses),
  comment: z.string().nullable(),
  submittedAt: isoInstant,
  decidedAt: isoInstant.nullable(),
  /** Someone with an account in the workspace, or null (no decider known here). */
  decidedBy: id.nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const heldAttachment = z.object({
  id,
  /** A held entry's id. */
  entryId: id,
  /** Null: the person themselves (their own upload, the usual case); else someone with an account in the workspace. */
  uploadedBy: id.nullable(),
  originalName: z.string(),
  sizeBytes: z.number().int().min(0),
  contentType: z.string(),
  sha256: z.string(),
  createdAt: isoInstant,
});

export type HeldEntry = z.infer<typeof heldEntry>;
export type HeldTimesheet = z.infer<typeof heldTimesheet>;
export type HeldAttachment = z.infer<typeof heldAttachment>;

export type HeldKind = "entry" | "timesheet" | "attachment";

/** What is held for one invited person, by e-mail address (the import's answer). */
export interface HeldCount {
  email: string;
  entries: number;
  timesheets: number;
  attachments: number;
}
