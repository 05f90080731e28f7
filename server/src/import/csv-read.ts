import { CsvError, parse } from "csv-parse/sync";
import { detectFormat, fieldColumns, missingColumns, type CsvFormat, type Field } from "./csv-formats.js";

/** The whole file cannot be read: nothing of it is imported. */
export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFileError";
  }
}

/** Enough for a large export; more is refused as a whole, with the advice to split it. */
export const MAX_ROWS = 10_000;

export interface RawRow {
  /** As a spreadsheet numbers it: the header is row 1. */
  row: number;
  cells: Partial<Record<Field, string>>;
  /** Set when the row has another number of cells than the header. */
  problem: string | null;
}

export interface ReadFile {
  format: CsvFormat;
  rows: RawRow[];
}

/** Both exports separate with commas; some spreadsheet locales save with semicolons. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
}

export function readCsv(text: string, format: CsvFormat | "auto"): ReadFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it was read (the types do not know it).
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      to: MAX_ROWS + 2,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new CsvFileError(`The file is not valid CSV${line ? ` (line ${line})` : ""}: ${err.message.replace(/^Invalid [^:]*: /, "")}`);
    }
    throw err;
  }
  const [head, ...body] = records;
  if (!head) throw new CsvFileError("The file is empty");
  if (body.length > MAX_ROWS) throw new CsvFileError(`The file has more than ${MAX_ROWS} rows: split it and import the parts`);
  const header = head.record;
  const chosen = format === "auto" ? detectFormat(header) : format;
  if (!chosen) {
    throw new CsvFileError("This is not a Toggl Track or Clockify detailed report: its header has no Start date and Start time columns");
  }
  const columns = fieldColumns(chosen, header);
  const missing = missingColumns(chosen, columns);
  if (missing) throw new CsvFileError(`The header lacks the columns ${missing}`);
  // A spreadsheet shows each record as one row (line breaks inside quotes stay in the cell) and a
  // blank line as an empty row: the row is the record's last line less the line breaks inside cells so far.
  let breaksInCells = head.record.reduce((n, c) => n + lineBreaks(c), 0);
  return {
    format: chosen,
    rows: body.map(({ record, info }) => {
      breaksInCells += record.reduce((n, c) => n + lineBreaks(c), 0);
      return {
        row: info.lines - breaksInCells,
        cells: Object.fromEntries([...columns].map(([field, i]) => [field, record[i] ?? ""])),
        problem: record.length === header.length ? null : `the row has ${record.length} cells where the header has ${header.length}`,
      };
    }),
  };
}

const lineBreaks = (cell: string) => cell.split("\n").length - 1;
