import { EARLIEST, LATEST } from "../contract/common.js";
import type { RawRow } from "./csv-read.js";
import {
  orderEvidence,
  readBillable,
  readDay,
  readDuration,
  readInstant,
  readTags,
  readTime,
  type DateOrder,
  type Read,
} from "./csv-values.js";

/** One row read into what an entry needs, names not yet looked up. */
export interface RowDraft {
  row: number;
  /** Lower-cased; null when the row names nobody (then it is the importer's). */
  email: string | null;
  description: string;
  project: string | null;
  client: string | null;
  task: string | null;
  tags: string[];
  billable: boolean;
  start: Date;
  end: Date;
}

export type RowRead = { ok: true; draft: RowDraft } | { ok: false; row: number; reason: string };

/** No tracker's single entry runs longer: a longer one is a forgotten timer, not work. */
export const MAX_ENTRY_HOURS = 24;
const MAX_DESCRIPTION = 2000;
const MAX_NAME = 200;
const MAX_TAGS = 50;

/**
 * The file's date order where its dates tell it: one date like 19/02/2026
 * is enough, if no other says the opposite. Exports use one format
 * throughout, so a file that says both cannot be trusted either way.
 */
export function fileDateOrder(rows: RawRow[]): DateOrder | null {
  const seen = new Set<DateOrder>();
  for (const { cells } of rows) {
    for (const text of [cells.startDate, cells.endDate]) {
      const evidence = text ? orderEvidence(text) : null;
      if (evidence) seen.add(evidence);
    }
  }
  return seen.size === 1 ? [...seen][0]! : null;
}

const name = (text: string | undefined) => text?.trim() || null;

function hours(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Reads one row in `zone`; every problem it has is named, not just the first. */
export function readRow(raw: RawRow, zone: string, order: DateOrder | null): RowRead {
  const problems: string[] = [];
  const take = <T>(read: Read<T>): T | null => {
    if (read.ok) return read.value;
    problems.push(read.problem);
    return null;
  };
  const refuse = () => ({ ok: false as const, row: raw.row, reason: [...new Set(problems)].join("; ") });
  if (raw.problem) return { ok: false, row: raw.row, reason: raw.problem };
  const c = raw.cells;

  const type = c.type?.trim();
  if (type && type.toLowerCase() !== "regular") problems.push(`it is a ${type} entry (only regular time is imported)`);

  const startDay = take(readDay(c.startDate ?? "", order));
  const startTime = take(readTime(c.startTime ?? ""));
  const start = startDay && startTime ? take(readInstant(startDay, startTime, zone, "start")) : null;

  let end: Date | null = null;
  if (c.endDate?.trim() || c.endTime?.trim()) {
    const endDay = take(readDay(c.endDate ?? "", order));
    const endTime = take(readTime(c.endTime ?? ""));
    end = endDay && endTime ? take(readInstant(endDay, endTime, zone, "end")) : null;
  } else if (c.duration?.trim() || c.durationDecimal?.trim()) {
    const seconds = take(readDuration((c.duration?.trim() || c.durationDecimal) ?? ""));
    end = start && seconds !== null ? new Date(start.getTime() + seconds * 1000) : null;
  } else {
    problems.push("it has no end and no duration");
  }

  const billable = take(readBillable(c.billable ?? ""));
  const description = (c.description ?? "").trim();
  if (description.length > MAX_DESCRIPTION) problems.push(`the description is longer than ${MAX_DESCRIPTION} characters`);
  const names = { project: name(c.project), client: name(c.client), task: name(c.task) };
  const tags = readTags(c.tags ?? "");
  for (const [kind, value] of [...Object.entries(names), ...tags.map((t) => ["tag", t] as const)]) {
    if (value && value.length > MAX_NAME) problems.push(`the ${kind} name is longer than ${MAX_NAME} characters`);
  }
  if (tags.length > MAX_TAGS) problems.push(`it has more than ${MAX_TAGS} tags`);
  if (names.task && !names.project) problems.push(`it names the task "${names.task}" but no project`);

  if (start && end) {
    const length = end.getTime() - start.getTime();
    if (length < 0) problems.push("it ends before it starts");
    else if (length === 0) problems.push("it ends when it starts (no time to record)");
    else if (length > MAX_ENTRY_HOURS * 3_600_000) problems.push(`it lasts ${hours(length)}, longer than the ${MAX_ENTRY_HOURS} hours an entry may last`);
    if (start < EARLIEST || end > LATEST) problems.push("it lies outside the years 1970 to 2099");
  }
  if (problems.length || !start || !end || billable === null) return refuse();

  const email = c.email?.trim().toLowerCase() || null;
  return { ok: true, draft: { row: raw.row, email, description, ...names, tags, billable, start, end } };
}
