import { recordAudit } from "../audit/record.js";
import type { CsvImportInput } from "../contract/csv-import.js";
import type { Role } from "../contract/common.js";
import type { TenantDb } from "../db/tenant.js";
import { loadCatalog } from "./csv-catalog.js";
import type { CsvFormat } from "./csv-formats.js";
import { readCsv } from "./csv-read.js";
import { NameResolver, type ResolvedRow } from "./csv-resolve.js";
import { fileDateOrder, readRow, type RowDraft } from "./csv-rows.js";
import { checkTimes, type AcceptedRow } from "./csv-time-rules.js";
import { creationsOf, writeImport, type Creations } from "./csv-write.js";

/** An entry the import makes: a row as read, with the person it belongs to. */
export type ImportedEntry = Omit<RowDraft, "email"> & { email: string };

export interface CsvImportResult {
  dryRun: boolean;
  format: CsvFormat;
  timeZone: string;
  counts: { rows: number; accepted: number; refused: number; created: number };
  /** The entries the import makes (or, in a dry run, would make), in file order. */
  entries: ImportedEntry[];
  /** What it makes (or would make) besides entries. */
  create: Creations;
  /** Every row it refuses, with its number (the header is row 1) and why. */
  refused: { row: number; reason: string }[];
}

const ADMINS: ReadonlySet<Role> = new Set(["OWNER", "ADMIN"]);

const shown = (r: AcceptedRow): ImportedEntry => ({
  row: r.row,
  email: r.email,
  start: r.start,
  end: r.end,
  description: r.description,
  project: r.project?.name ?? null,
  client: r.client?.name ?? null,
  task: r.task?.name ?? null,
  tags: r.tags.map((t) => t.name),
  billable: r.billable,
});

/**
 * Reads a detailed-report CSV into entries of `importer`'s workspace, row by
 * row: each row lands or is refused with its reason. A real run writes in
 * the caller's tenant transaction, so the accepted rows land together or,
 * on a failure, not at all. Throws CsvFileError when the file as a whole
 * cannot be read.
 */
export async function importCsv(
  db: TenantDb,
  tenantId: string,
  importer: { userId: string; role: Role },
  input: CsvImportInput,
): Promise<CsvImportResult> {
  const file = readCsv(input.csv, input.format);
  const workspace = await db.workspace.findFirstOrThrow({ where: { id: tenantId }, select: { timezone: true } });
  const zone = input.timeZone ?? workspace.timezone;
  const order = input.dateOrder === "auto" ? fileDateOrder(file.rows) : input.dateOrder;

  const refused: { row: number; reason: string }[] = [];
  const drafts: RowDraft[] = [];
  for (const raw of file.rows) {
    const read = readRow(raw, zone, order);
    if (read.ok) drafts.push(read.draft);
    else refused.push({ row: read.row, reason: read.reason });
  }

  const isAdmin = ADMINS.has(importer.role);
  const resolver = new NameResolver(await loadCatalog(db, tenantId, importer.userId, drafts), {
    userId: importer.userId,
    isAdmin,
    createMissing: input.createMissing,
  });
  const resolved: ResolvedRow[] = [];
  for (const d of drafts) {
    const r = resolver.resolve(d);
    if (r.ok) resolved.push(r.row);
    else refused.push({ row: r.row, reason: r.reason });
  }

  const accepted: AcceptedRow[] = [];
  for (const r of await checkTimes(db, tenantId, resolved)) {
    if (r.ok) accepted.push(r.row);
    else refused.push({ row: r.row, reason: r.reason });
  }
  const create = creationsOf(accepted);
  if (!input.dryRun && accepted.length) {
    await writeImport(db, tenantId, accepted, create);
    await recordAudit(db, tenantId, {
      actorUserId: importer.userId,
      action: "entries.imported",
      details: {
        format: file.format,
        entries: accepted.length,
        refused: refused.length,
        created: { clients: create.clients.length, projects: create.projects.length, tasks: create.tasks.length, tags: create.tags.length },
      },
    });
  }
  return {
    dryRun: input.dryRun,
    format: file.format,
    timeZone: zone,
    counts: { rows: file.rows.length, accepted: accepted.length, refused: refused.length, created: input.dryRun ? 0 : accepted.length },
    entries: accepted.map(shown),
    create,
    refused: refused.sort((a, b) => a.row - b.row),
  };
}
