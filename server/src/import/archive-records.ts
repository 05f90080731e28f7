import { z } from "zod";
import { color, hourlyRateCents, id, instant, localDay, name, role, text, timeZone } from "../contract/common.js";
import { timesheetStatuses } from "../contract/timesheets.js";

/**
 * The rows of an export archive as the exporter writes them
 * (server/src/offboarding/archive-sections.ts): a table's columns in
 * snake_case, timestamps as ISO text. Unknown fields are dropped; every
 * field the importer uses is checked here, so nothing unchecked reaches
 * the database.
 */

const day = localDay.transform((d) => new Date(`${d}T00:00:00Z`));
const cents = hourlyRateCents;
const perMinute = z.number().int().min(10).max(100_000);

export const workspaceRecord = z.object({
  name,
  timezone: timeZone,
  week_starts_on: z.number().int().min(0).max(6),
  currency: z.string().regex(/^[A-Z]{3}$/),
  hourly_rate_cents: cents,
  rate_limit_per_minute: perMinute,
  user_rate_limit_per_minute: perMinute,
  timesheet_period: z.enum(["WEEK", "MONTH"]),
  lock_before: day.nullable(),
  lock_grace_days: z.number().int().min(0).max(366).nullable(),
  approval_mode: z.enum(["ALL_MANAGERS", "PROJECT_MANAGERS"]),
});

export const memberRecord = z.object({
  id,
  user_id: id,
  role,
  hourly_rate_cents: cents,
  created_at: instant,
  email: z.email().max(320),
  name: text(200),
});

export const clientRecord = z.object({ id, name, archived: z.boolean(), created_at: instant, updated_at: instant });

export const projectRecord = z.object({
  id,
  client_id: id.nullable(),
  name,
  color,
  billable: z.boolean(),
  hourly_rate_cents: cents,
  archived: z.boolean(),
  created_at: instant,
  updated_at: instant,
  member_ids: z.array(id).max(100_000),
});

export const taskRecord = z.object({ id, project_id: id, name, done: z.boolean(), created_at: instant, updated_at: instant });

export const tagRecord = z.object({ id, name, created_at: instant, updated_at: instant });

export const entryRecord = z.object({
  id,
  user_id: id,
  project_id: id.nullable(),
  task_id: id.nullable(),
  description: text(2000),
  start_at: instant,
  end_at: instant.nullable(),
  billable: z.boolean(),
  created_at: instant,
  updated_at: instant,
  tag_ids: z.array(id).max(100),
});

export const timesheetRecord = z.object({
  id,
  user_id: id,
  period_start: day,
  period_end: day,
  status: z.enum(timesheetStatuses),
  comment: text(2000).nullable(),
  submitted_at: instant,
  decided_at: instant.nullable(),
  decided_by: id.nullable(),
  created_at: instant,
  updated_at: instant,
});

export const auditRecord = z.object({
  // Any UUID-shaped id: the log's hourly counts of outsiders' refusals have ids made from a hash
  // (before version 8 ids, without the version and variant bits), and every id is remapped anyway.
  id: z.guid(),
  actor_user_id: id.nullable(),
  action: text(100).min(1),
  target_type: text(100).nullable(),
  target_id: text(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  created_at: instant,
});

export const attachmentRecord = z.object({
  id,
  entry_id: id,
  user_id: id,
  uploaded_by: id,
  original_name: text(255).min(1),
  size_bytes: z.number().int().min(0),
  content_type: text(255),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  created_at: instant,
});

export const manifestRecord = z.object({
  format: z.literal("hoursync-workspace-export"),
  formatVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int().min(0)),
});

/** Each JSON file of the archive and the schema of its rows. */
export const SECTION_RECORDS = {
  workspace: workspaceRecord,
  members: memberRecord,
  clients: clientRecord,
  projects: projectRecord,
  tasks: taskRecord,
  tags: tagRecord,
  entries: entryRecord,
  timesheets: timesheetRecord,
  "audit-log": auditRecord,
  attachments: attachmentRecord,
} as const;

export type SectionName = keyof typeof SECTION_RECORDS;
export type SectionRows = { [K in SectionName]: z.infer<(typeof SECTION_RECORDS)[K]>[] };
