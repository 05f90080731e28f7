import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";

export interface ExportAuth {
  token?: string;
  workspaceId?: string;
  /** An Authorization header sent as is (overrides `token`). */
  authorization?: string;
}

export type ExportQuery = Record<string, string | undefined>;

function request(baseUrl: string, file: string, auth: ExportAuth, query: ExportQuery): Promise<Response> {
  const url = new URL(`/export/${file}`, baseUrl);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const authorization = auth.authorization ?? (auth.token ? `Bearer ${auth.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  if (auth.workspaceId) headers[WORKSPACE_HEADER] = auth.workspaceId;
  return fetch(url, { headers });
}

export interface CsvDownload {
  status: number;
  headers: Headers;
  /** The body decoded as UTF-8. */
  text: string;
  /** The parsed JSON body of a refusal, else null. */
  json: unknown;
  /** The first CSV row (empty unless the body is CSV). */
  header: string[];
  /** The other rows, keyed by the header. */
  rows: Record<string, string>[];
}

/** GET /export/<file> over real HTTP, the CSV parsed back with csv-parse. */
export async function download(baseUrl: string, file: string, auth: ExportAuth, query: ExportQuery = {}): Promise<CsvDownload> {
  const res = await request(baseUrl, file, auth, query);
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  let json: unknown = null;
  let header: string[] = [];
  let rows: Record<string, string>[] = [];
  if (res.headers.get("content-type")?.startsWith("text/csv")) {
    const all = parseSync(text, { columns: false }) as string[][];
    header = all[0] ?? [];
    rows = all.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  } else {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: res.status, headers: res.headers, text, json, header, rows };
}

/** GET /export/<file>, parsing the CSV as it arrives and handing each record to `onRow` (nothing kept). */
export async function streamDownload(
  baseUrl: string,
  file: string,
  auth: ExportAuth,
  query: ExportQuery,
  onRow: (row: Record<string, string>) => void,
): Promise<{ status: number; headers: Headers; chunks: number }> {
  const res = await request(baseUrl, file, auth, query);
  if (!res.body) throw new Error("no body");
  let chunks = 0;
  const body = Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>);
  body.on("data", () => chunks++);
  const parser = body.pipe(parse({ columns: true }));
  for await (const row of parser) onRow(row as Record<string, string>);
  return { status: res.status, headers: res.headers, chunks };
}
