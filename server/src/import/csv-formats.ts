/**
 * The column sets of the two detailed-report CSV exports we read. Headers
 * are matched without regard to case or surrounding spaces; columns not
 * named here (Amount, Group, Invoiced, rates...) are ignored.
 */
export const CSV_FORMATS = ["toggl", "clockify"] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

/** What a row can say about an entry, whatever the source calls it. */
export type Field =
  | "user"
  | "email"
  | "client"
  | "project"
  | "task"
  | "description"
  | "billable"
  | "startDate"
  | "startTime"
  | "endDate"
  | "endTime"
  | "duration"
  | "durationDecimal"
  | "tags"
  | "type";

/** Toggl Track, Reports > Detailed > Export CSV (and its CSV import format, a subset). */
const TOGGL: Record<string, Field> = {
  user: "user",
  email: "email",
  client: "client",
  project: "project",
  task: "task",
  description: "description",
  billable: "billable",
  "start date": "startDate",
  "start time": "startTime",
  "end date": "endDate",
  "end time": "endTime",
  duration: "duration",
  tags: "tags",
};

/** Clockify, Reports > Detailed > Export > Save as CSV. */
const CLOCKIFY: Record<string, Field> = {
  project: "project",
  client: "client",
  description: "description",
  task: "task",
  user: "user",
  email: "email",
  tags: "tags",
  type: "type",
  billable: "billable",
  "start date": "startDate",
  "start time": "startTime",
  "end date": "endDate",
  "end time": "endTime",
  "duration (h)": "duration",
  "duration (decimal)": "durationDecimal",
};

export const COLUMNS: Record<CsvFormat, Record<string, Field>> = { toggl: TOGGL, clockify: CLOCKIFY };

/** The header as the exports write it, for messages and the README. */
export const HEADER_NAMES: Record<CsvFormat, Partial<Record<Field, string>>> = {
  toggl: { startDate: "Start date", startTime: "Start time", endDate: "End date", endTime: "End time", duration: "Duration" },
  clockify: { startDate: "Start Date", startTime: "Start Time", endDate: "End Date", endTime: "End Time", duration: "Duration (h)" },
};

export const normalHeader = (h: string) => h.replace(/^\uFEFF/, "").trim().toLowerCase();

/** Clockify names its durations "(h)" and "(decimal)"; Toggl has one plain "Duration". */
const CLOCKIFY_ONLY = ["duration (h)", "duration (decimal)", "invoiced", "invoice id", "group"];

export function detectFormat(header: string[]): CsvFormat | null {
  const names = new Set(header.map(normalHeader));
  if (!names.has("start date") || !names.has("start time")) return null;
  return CLOCKIFY_ONLY.some((h) => names.has(h)) ? "clockify" : "toggl";
}

/** Which column holds each field (the first one, if a header repeats). */
export function fieldColumns(format: CsvFormat, header: string[]): Map<Field, number> {
  const columns = new Map<Field, number>();
  header.forEach((h, i) => {
    const field = COLUMNS[format][normalHeader(h)];
    if (field && !columns.has(field)) columns.set(field, i);
  });
  return columns;
}

/** What the header lacks for rows to be read as entries, in words; null when nothing. */
export function missingColumns(format: CsvFormat, columns: Map<Field, number>): string | null {
  const names = HEADER_NAMES[format];
  const lacking: string[] = [];
  if (!columns.has("startDate")) lacking.push(names.startDate!);
  if (!columns.has("startTime")) lacking.push(names.startTime!);
  const hasEnd = columns.has("endDate") && columns.has("endTime");
  if (!hasEnd && !columns.has("duration") && !columns.has("durationDecimal")) lacking.push(`${names.endDate} and ${names.endTime}, or ${names.duration}`);
  return lacking.length ? lacking.join(", ") : null;
}
