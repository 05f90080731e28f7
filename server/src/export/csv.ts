import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import type { FastifyReply } from "fastify";

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

/**
 * Takes the first record before anything is sent, so a failing first read
 * (the first page of a query) is still answered as an error, not as a file.
 */
async function primed<T>(records: Iterable<T> | AsyncIterable<T>): Promise<AsyncGenerator<T>> {
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]();
  const first = await iterator.next();
  return (async function* () {
    try {
      for (let next = first; !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // The client went away or the pipeline failed: stop the source too.
      await iterator.return?.();
    }
  })();
}

/**
 * Sends `records` as a UTF-8 CSV attachment with a header row, writing each
 * as it comes and pulling the next only when the client keeps up, so memory
 * stays flat however many there are. Fields starting with = + - @ are
 * prefixed with ' so a spreadsheet does not run them as formulas.
 */
export async function sendCsv<C extends string>(
  reply: FastifyReply,
  filename: string,
  columns: readonly C[],
  records: Iterable<CsvRecord<C>> | AsyncIterable<CsvRecord<C>>,
): Promise<void> {
  const source = await primed(records);
  reply.hijack();
  reply.raw.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  await pipeline(
    Readable.from(source),
    stringify({ header: true, columns: [...columns], escape_formulas: true }),
    reply.raw,
  );
}
