import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import archiver from "archiver";
import type { TenantDb } from "../db/tenant.js";
import { csvText, type CsvPage } from "../export/csv.js";
import { ENTRY_COLUMNS, entryPage, type EntryColumn, type EntryCursor } from "../export/entries-csv.js";
import { heldAttachment } from "../domain/held-rows.js";
import { pipePaced } from "../http/paced-write.js";
import type { FileStorage } from "../storage/file-storage.js";
import { ARCHIVE_SECTIONS, SECTION_PAGE, type ArchiveSection, type SectionPage } from "./archive-sections.js";

export const ARCHIVE_FORMAT = "hoursync-workspace-export";
/**
 * 2: the archive carries held rows (held.json) and their files. An older
 * server refuses it rather than restoring it without them; this server
 * still reads version 1 (no held rows).
 */
export const ARCHIVE_FORMAT_VERSION = 2;
/** Every version this server's import reads. */
export const ARCHIVE_FORMAT_VERSIONS_READ: readonly number[] = [1, 2];

/** What the archive says about itself (`manifest.json`, its last entry: the counts are known only then). */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  workspaceId: string;
  exportedAt: string;
  exportedBy: string;
  /** Rows written per JSON file (`<name>.json`), and entries in `entries.csv`. */
  counts: Record<string, number>;
  files: { written: number; bytes: number; missing: string[] };
  idPolicy: string;
}

export const ID_POLICY =
  "Ids are the exporting server's. Each JSON file is an array of rows whose foreign keys (project_id, " +
  "membership_id, user_id, tag_ids, member_ids, entry_id) refer to ids in the other files; " +
  "files/<attachment id> holds the bytes of the attachment with that id. held.json's payloads name ids of the same " +
  "server (an entry's tagIds, an attachment's entryId, its id for files/<id>).";

export interface ArchiveJob {
  tenantId: string;
  exportedBy: string;
  timezone: string;
  /** A short tenant transaction per page, with the exporter's access checked again each time. */
  inTenant: <T>(work: (db: TenantDb) => Promise<T>) => Promise<T>;
  storage: FileStorage;
  res: ServerResponse;
  /** A client that reads nothing this long is cut off. */
  idleMs: number;
}

const ALL_TIME = { from: new Date("0001-01-01T00:00:00Z"), to: new Date("9999-12-31T00:00:00Z") };

/**
 * Streams the whole workspace as one zip to `res`: a JSON file per section,
 * entries also as CSV, every attachment's bytes, and the manifest. Entries
 * are added one at a time, each read page by page (or a file streamed) only
 * as fast as the client takes the archive, so memory holds a page and the
 * compressor's window, whatever the workspace's size. A failure once bytes
 * are out destroys the response (a cut zip has no central directory, so no
 * reader takes it for a whole one).
 */
export async function sendWorkspaceArchive(job: ArchiveJob): Promise<ArchiveManifest> {
  const archive = archiver("zip", { zlib: { level: 6 } });
  const exportedAt = new Date();
  let stop: (err: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const add = async (source: Readable | string, name: string) => {
    // A source that fails (a page refused because access ended, a file unreadable) stops the whole archive.
    if (typeof source !== "string") source.once("error", (err) => stop(err));
    const done = once(archive, "entry");
    done.catch(() => {});
    archive.append(source, { name, date: exportedAt });
    await Promise.race([done, stopped]);
  };
  const sending = pipePaced(archive, job.res, job.idleMs).catch((err: unknown) => {
    stop(err);
    throw err;
  });
  sending.catch(() => {});
  try {
    const manifest = await feed(job, add, exportedAt);
    await Promise.race([archive.finalize(), stopped]);
    await sending;
    return manifest;
  } catch (err) {
    job.res.destroy();
    archive.abort();
    throw err;
  }
}

/** Readable.from reads 16 chunks ahead by default: here a chunk is a page, so one is enough. */
const ONE_PAGE_AHEAD = { highWaterMark: 1 };

type Add = (source: Readable | string, name: string) => Promise<void>;

async function feed(job: ArchiveJob, add: Add, exportedAt: Date): Promise<ArchiveManifest> {
  const counts: Record<string, number> = {};
  for (const section of ARCHIVE_SECTIONS) {
    counts[section.name] = 0;
    await add(Readable.from(jsonPages(job, section, () => counts[section.name]!++), ONE_PAGE_AHEAD), `${section.name}.json`);
  }
  counts["entries.csv"] = 0;
  await add(Readable.from(entryCsvPages(job, (n) => (counts["entries.csv"]! += n)), ONE_PAGE_AHEAD), "entries.csv");
  const files = await addFiles(job, add);
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    workspaceId: job.tenantId,
    exportedAt: exportedAt.toISOString(),
    exportedBy: job.exportedBy,
    counts,
    files,
    idPolicy: ID_POLICY,
  };
  await add(JSON.stringify(manifest, null, 2), "manifest.json");
  return manifest;
}

/** A JSON array, one page of rows per chunk. */
async function* jsonPages(job: ArchiveJob, section: ArchiveSection, counted: () => void): AsyncGenerator<Buffer> {
  let after: string | null = null;
  let first = true;
  yield Buffer.from("[");
  do {
    const cursor: string | null = after;
    const page: SectionPage = await job.inTenant((db) => section.read(db, job.tenantId, cursor));
    if (page.rows.length) {
      page.rows.forEach(counted);
      yield Buffer.from((first ? "\n" : ",\n") + page.rows.map((r) => JSON.stringify(r)).join(",\n"));
      first = false;
    }
    after = page.next;
  } while (after !== null);
  yield Buffer.from("\n]\n");
}

/** The same CSV as GET /export/entries.csv over all time, one page per chunk. */
async function* entryCsvPages(job: ArchiveJob, counted: (n: number) => void): AsyncGenerator<Buffer> {
  let after: EntryCursor | null = null;
  let header = true;
  do {
    const cursor: EntryCursor | null = after;
    const page: CsvPage<EntryColumn, EntryCursor> = await job.inTenant((db) => entryPage(db, job.tenantId, ALL_TIME, job.timezone, cursor));
    counted(page.records.length);
    yield Buffer.from(csvText(ENTRY_COLUMNS, page.records, header));
    header = false;
    after = page.next;
  } while (after !== null);
}

/** A stored file to put in the archive: the id it goes under and where the storage has it. */
interface ArchivedFile {
  id: string;
  storageKey: string;
  sizeBytes: number;
}

/** One source of files: a page after a cursor (its own row id), and whether a file's row is still there. */
interface FileSource {
  page(db: TenantDb, tenantId: string, after: string | null): Promise<{ files: ArchivedFile[]; next: string | null }>;
  still(db: TenantDb, tenantId: string, file: ArchivedFile): Promise<boolean>;
}

const attachmentFiles: FileSource = {
  async page(db, tenantId, after) {
    const page = await db.attachment.findMany({
      where: { tenantId, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, storageKey: true, sizeBytes: true },
      orderBy: { id: "asc" },
      take: SECTION_PAGE,
    });
    return { files: page.map((a) => ({ ...a, sizeBytes: Number(a.sizeBytes) })), next: page.length < SECTION_PAGE ? null : page.at(-1)!.id };
  },
  still: async (db, tenantId, file) => !!(await db.attachment.findFirst({ where: { tenantId, id: file.id }, select: { id: true } })),
};

/**
 * Held attachments' files, under the id the held row's payload gives the
 * attachment (the id held.json names, and the one it takes on acceptance).
 * The cursor is the held row's id; a row handed over or revoked meanwhile is skipped.
 */
const heldFiles: FileSource = {
  async page(db, tenantId, after) {
    const page = await db.heldRow.findMany({
      where: { tenantId, kind: "attachment", ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, storageKey: true, payload: true },
      orderBy: { id: "asc" },
      take: SECTION_PAGE,
    });
    return {
      files: page.map((h) => {
        const a = heldAttachment.parse(h.payload);
        return { id: a.id, storageKey: h.storageKey!, sizeBytes: a.sizeBytes };
      }),
      next: page.length < SECTION_PAGE ? null : page.at(-1)!.id,
    };
  },
  // By its storage key (unique per tenant): once handed over, the key is an attachment's, whose own pass came first.
  still: async (db, tenantId, file) => !!(await db.heldRow.findFirst({ where: { tenantId, storageKey: file.storageKey }, select: { id: true } })),
};

/** Each attachment's bytes (held ones too) at files/<id>, one file open at a time; a file missing from storage is listed, not fatal. */
async function addFiles(job: ArchiveJob, add: Add): Promise<ArchiveManifest["files"]> {
  const files: ArchiveManifest["files"] = { written: 0, bytes: 0, missing: [] };
  for (const source of [attachmentFiles, heldFiles]) {
    let after: string | null = null;
    do {
      const cursor: string | null = after;
      const page: { files: ArchivedFile[]; next: string | null } = await job.inTenant((db) => source.page(db, job.tenantId, cursor));
      for (const a of page.files) {
        // Files are the long part: access is checked again before each, and a file deleted meanwhile is skipped.
        if (!(await job.inTenant((db) => source.still(db, job.tenantId, a)))) continue;
        const stream = await job.storage.open(job.tenantId, a.storageKey);
        if (!stream) {
          files.missing.push(a.id);
          continue;
        }
        await add(stream, `files/${a.id}`);
        files.written++;
        files.bytes += a.sizeBytes;
      }
      after = page.next;
    } while (after !== null);
  }
  return files;
}
