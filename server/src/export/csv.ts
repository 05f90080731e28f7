import { stringify } from "csv-stringify/sync";
import type { FastifyReply } from "fastify";
import { startExportDownload } from "../http/export-download.js";
import { writePaced } from "../http/paced-write.js";
import { defuseFormula } from "./formula-guard.js";

/** Two decimals from a count of hundredths, without binary rounding surprises: 150 -> "1.50". */
function hundredths(n: number): string {
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Hours with two decimals, rounded half up: 5400 s -> "1.50". */
export function hoursOf(seconds: number): string {
  return hundredths(Math.round(seconds / 36));
}

/** Currency units with two decimals: 54000 cents -> "540.00". */
export function unitsOf(cents: number): string {
  return hundredths(Math.round(cents));
}

export type CsvRecord<C extends string> = Record<C, string>;

/** One page of records and where the next one starts (null: this was the last). */
export interface CsvPage<C extends string, Cursor> {
  records: CsvRecord<C>[];
  next: Cursor | null;
}

/** Records as CSV lines, every cell a spreadsheet would run defused. */
export function csvText<C extends string>(columns: readonly C[], records: CsvRecord<C>[], header: boolean): string {
  const safe = records.map((r) => Object.fromEntries(columns.map((c) => [c, defuseFormula(r[c])])));
  return stringify(safe, { header, columns: [...columns], escape_formulas: true });
}

/**
 * Sends a CSV attachment (UTF-8, header row) page by page. `readPage` reads
 * one page in a short transaction of its own, so no database connection is
 * held while the client reads; the next page is read only once the client
 * has taken the previous one, so memory stays flat however large the range.
 * The first page is read before anything is sent (a failure there is still
 * answered as an error, not as a file); a client that reads nothing for
 * `idleMs` is cut off, and so is one whose access ends between pages (a cut
 * file ends without the chunked body's last chunk, so no client takes it
 * for a whole one).
 */
export async function sendCsvPages<C extends string, Cursor>(
  reply: FastifyReply,
  filename: string,
  columns: readonly C[],
  readPage: (after: Cursor | null) => Promise<CsvPage<C, Cursor>>,
  idleMs: number,
): Promise<void> {
  let page = await readPage(null);
  startExportDownload(reply, "text/csv; charset=utf-8", filename);
  for (let first = true; ; first = false) {
    await writePaced(reply.raw, csvText(columns, page.records, first), idleMs);
    if (page.next === null) break;
    page = await readPage(page.next);
  }
  reply.raw.end();
}
