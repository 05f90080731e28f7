import type { Readable } from "node:stream";
import type { z } from "zod";
import { ARCHIVE_FORMAT_VERSIONS_READ } from "../offboarding/workspace-archive.js";
import { ArchiveRejectedError, malformed } from "./archive-errors.js";
import { heldRecord, unfoldHeld, type PendingPerson } from "./archive-held-section.js";
import { manifestRecord, SECTION_RECORDS, type SectionName, type SectionRows } from "./archive-records.js";
import { checkReferences } from "./archive-references.js";
import type { ArchiveZip } from "./archive-zip.js";

/** The JSON files are held in memory while they are checked and written: this much at most, whatever the other limits. */
const JSON_MAX_BYTES = 256 * 1024 * 1024;

/** What an archive holds, every row checked, every reference inside it resolved. */
export interface ArchiveContent {
  /** Entries, timesheets and attachments include those held.json held, under the stand-in user ids of `pending`. */
  rows: SectionRows;
  /** The people held.json held rows for (none in a version 1 archive). */
  pending: PendingPerson[];
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function jsonOf(zip: ArchiveZip, name: string): Promise<unknown> {
  const stream = await zip.open(name);
  if (!stream) throw malformed(`The archive has no ${name}`, name);
  try {
    return JSON.parse((await bytesOf(stream)).toString("utf8"));
  } catch (err) {
    if (err instanceof ArchiveRejectedError) throw err;
    throw malformed(`${name} is not valid JSON`, name);
  }
}

function rowsOf<S extends z.ZodType>(schema: S, value: unknown, file: string): z.infer<S>[] {
  if (!Array.isArray(value)) throw malformed(`${file} is not a JSON array`, file);
  return value.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw malformed(`${file} row ${i}: ${issue.path.join(".") || "row"}: ${issue.message}`, `${file}[${i}]`);
    }
    return parsed.data;
  });
}

/**
 * Reads and checks everything but the files' bytes: the manifest first (a
 * different format or version is refused before anything else is read),
 * then each section's rows against its schema and the manifest's counts,
 * then the references between them.
 */
export async function readArchive(zip: ArchiveZip): Promise<ArchiveContent> {
  const names = Object.keys(SECTION_RECORDS) as SectionName[];
  const jsonBytes = ["manifest.json", "held.json", ...names.map((n) => `${n}.json`)].reduce((sum, f) => sum + zip.sizeOf(f), 0);
  if (jsonBytes > JSON_MAX_BYTES) throw new ArchiveRejectedError("TOO_LARGE", `The archive's JSON files are larger than ${JSON_MAX_BYTES} bytes`);

  const manifest = manifestRecord.safeParse(await jsonOf(zip, "manifest.json"));
  if (!manifest.success) throw new ArchiveRejectedError("WRONG_FORMAT", "manifest.json does not describe a Hoursync workspace export", "manifest.json");
  const version = manifest.data.formatVersion;
  if (!ARCHIVE_FORMAT_VERSIONS_READ.includes(version)) {
    throw new ArchiveRejectedError(
      "WRONG_FORMAT",
      `The archive is format version ${version}; this server reads versions ${ARCHIVE_FORMAT_VERSIONS_READ.join(" and ")}`,
      "manifest.json",
    );
  }

  const rows = {} as Record<SectionName, unknown[]>;
  for (const name of names) {
    const file = `${name}.json`;
    rows[name] = rowsOf(SECTION_RECORDS[name], await jsonOf(zip, file), file);
    if (manifest.data.counts[name] !== rows[name].length) throw malformed(`${file} holds ${rows[name].length} rows; the manifest says ${manifest.data.counts[name]}`, file);
  }
  const sections = rows as SectionRows;
  if (sections.workspace.length !== 1) throw malformed("workspace.json must hold exactly one row", "workspace.json");

  // Version 2 always has held.json (perhaps empty); version 1 has none. Read whenever it is there.
  const hasHeld = version >= 2 || zip.names().includes("held.json") || manifest.data.counts.held !== undefined;
  const held = hasHeld ? rowsOf(heldRecord, await jsonOf(zip, "held.json"), "held.json") : [];
  if (hasHeld && manifest.data.counts.held !== held.length) throw malformed(`held.json holds ${held.length} rows; the manifest says ${manifest.data.counts.held}`, "held.json");
  const unfolded = unfoldHeld(held);
  checkReferences(sections, unfolded.rows);
  // From here on, held rows are rows of their people like any other's (archive-people.ts sorts them).
  sections.entries.push(...unfolded.rows.entries);
  sections.timesheets.push(...unfolded.rows.timesheets);
  sections.attachments.push(...unfolded.rows.attachments);
  return { rows: sections, pending: unfolded.pending };
}
