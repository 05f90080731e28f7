import { randomUUID } from "node:crypto";
import type { HeldAttachment, HeldCount, HeldEntry, HeldKind, HeldTimesheet } from "../domain/held-rows.js";
import { malformed } from "./archive-errors.js";
import type { RestoredFile } from "./archive-files.js";
import type { IdMap } from "./archive-ids.js";
import type { HeldFor } from "./archive-people.js";

/** A held_rows row as the import writes it (tenant pinned by the tenant scope). */
export interface HeldRowData {
  id: string;
  invitationId: string;
  kind: HeldKind;
  projectId: string | null;
  taskId: string | null;
  storageKey: string | null;
  payload: HeldEntry | HeldTimesheet | HeldAttachment;
}

const refuse = (rule: string, email: string) => malformed(`The archive's rows break a rule of the data model (${rule}, rows of ${email})`);

/**
 * The rules the database checks on entries and timesheets, checked here for
 * held rows: they are written as JSON now and meet those rules only when the
 * person accepts, and an archive that could never be handed over must be
 * refused at import, not at someone's acceptance. Times are compared as the
 * constraints do: an entry's range is [start, end), a running one endless.
 */
export function checkHeldRows(held: HeldFor[]): void {
  for (const person of held) {
    const entries = [...person.entries].sort((a, b) => a.start_at.getTime() - b.start_at.getTime());
    let reach = -Infinity;
    for (const e of entries) {
      if (e.end_at && e.end_at <= e.start_at) throw refuse("time_entries_end_after_start", person.email);
      if (e.start_at.getTime() < reach) throw refuse("time_entries_no_overlap", person.email);
      reach = Math.max(reach, e.end_at ? e.end_at.getTime() : Infinity);
    }
    const periods = new Set<number>();
    for (const t of person.timesheets) {
      if (t.period_end <= t.period_start) throw refuse("timesheets_check", person.email);
      if (periods.has(t.period_start.getTime())) throw refuse("timesheets_tenant_id_user_id_period_start_key", person.email);
      periods.add(t.period_start.getTime());
    }
  }
}

export interface HeldRowsInput {
  held: HeldFor[];
  ids: IdMap;
  /** E-mail address -> the id of their invitation in the new workspace. */
  invitationOf: Map<string, string>;
  /** Archived user id -> an account in the new workspace (the importer). */
  userOf: (archived: string | null) => string | null;
  importerId: string;
  /** Files stored for held attachments; an attachment whose file the archive lacked is not held. */
  files: RestoredFile[];
}

/** The held rows of every invited person, with new ids, ready to write; and what each person has held. */
export function heldRowsOf(input: HeldRowsInput): { rows: HeldRowData[]; counts: HeldCount[] } {
  const { ids, userOf } = input;
  const fileOf = new Map(input.files.map((f) => [f.archivedId, f]));
  const rows: HeldRowData[] = [];
  const counts: HeldCount[] = [];
  for (const person of input.held) {
    const invitationId = input.invitationOf.get(person.email)!;
    const row = (kind: HeldKind, payload: HeldRowData["payload"], extra: Partial<HeldRowData> = {}) =>
      rows.push({ id: randomUUID(), invitationId, kind, projectId: null, taskId: null, storageKey: null, payload, ...extra });
    for (const e of person.entries) {
      const payload: HeldEntry = {
        id: ids.of(e.id),
        description: e.description,
        start: e.start_at.toISOString(),
        end: e.end_at?.toISOString() ?? null,
        billable: e.billable,
        createdAt: e.created_at.toISOString(),
        updatedAt: e.updated_at.toISOString(),
        tagIds: [...new Set(e.tag_ids)].map((t) => ids.of(t)),
      };
      row("entry", payload, { projectId: ids.ofNullable(e.project_id), taskId: ids.ofNullable(e.task_id) });
    }
    for (const t of person.timesheets) {
      const payload: HeldTimesheet = {
        id: ids.of(t.id),
        periodStart: t.period_start.toISOString().slice(0, 10),
        periodEnd: t.period_end.toISOString().slice(0, 10),
        status: t.status,
        comment: t.comment,
        submittedAt: t.submitted_at.toISOString(),
        decidedAt: t.decided_at?.toISOString() ?? null,
        decidedBy: userOf(t.decided_by),
        createdAt: t.created_at.toISOString(),
        updatedAt: t.updated_at.toISOString(),
      };
      row("timesheet", payload);
    }
    let attachments = 0;
    const ownUser = new Set(person.entries.map((e) => e.user_id));
    for (const a of person.attachments) {
      const file = fileOf.get(a.id);
      if (!file) continue;
      attachments++;
      const payload: HeldAttachment = {
        id: ids.of(a.id),
        entryId: ids.of(a.entry_id),
        // As for the importer's own rows: an uploader without an account here is the importer.
        uploadedBy: ownUser.has(a.uploaded_by) ? null : (userOf(a.uploaded_by) ?? input.importerId),
        originalName: a.original_name,
        sizeBytes: file.stored.sizeBytes,
        contentType: file.contentType,
        sha256: file.stored.sha256,
        createdAt: a.created_at.toISOString(),
      };
      row("attachment", payload, { storageKey: file.stored.key });
    }
    counts.push({ email: person.email, entries: person.entries.length, timesheets: person.timesheets.length, attachments });
  }
  return { rows, counts };
}
