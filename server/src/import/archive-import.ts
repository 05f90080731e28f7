import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { PrismaClient } from "../db/generated/client.js";
import { dbFailureOf } from "../db/errors.js";
import type { AttachmentFiles } from "../storage/attachment-files.js";
import type { HeldCount } from "../domain/held-rows.js";
import { malformed } from "./archive-errors.js";
import { checkHeldRows } from "./archive-held.js";
import { restoreFiles } from "./archive-files.js";
import { planPeople, splitByPerson, type Importer, type LeftOut } from "./archive-people.js";
import { readArchive } from "./archive-read.js";
import { restoreRows, type RestoreCounts } from "./archive-restore.js";
import { spoolUpload } from "./archive-spool.js";
import { openArchiveZip, type ArchiveLimits } from "./archive-zip.js";

export interface ArchiveImportResult {
  workspaceId: string;
  /** Always "remapped": every row has a new id made by this server. */
  ids: "remapped";
  counts: RestoreCounts;
  /** Every archived member but the importer: pending invitations, with the token to pass on. */
  invitations: { email: string; role: string; token: string }[];
  /** Per invited person, their own rows held for them until they accept (then they become theirs) or the invitation is revoked. */
  held: HeldCount[];
  /** Rows of people who were no longer members when the archive was made: nobody to hold them for, not restored. */
  leftOut: LeftOut[];
  /** Attachments (kept or held) whose file the archive lacked: not restored. */
  missingFiles: number;
}

export interface ArchiveImportJob {
  prisma: PrismaClient;
  files: AttachmentFiles;
  limits: ArchiveLimits;
  importer: Importer;
  body: Readable;
}

/**
 * Restores an uploaded workspace archive into a new workspace the importer
 * owns. Nothing is written until the whole archive has been read and
 * checked; then the files are stored under the new tenant and the rows
 * written in one transaction. Any failure removes the files stored and
 * leaves no row: the server keeps nothing of a refused archive.
 */
export async function importWorkspaceArchive(job: ArchiveImportJob): Promise<ArchiveImportResult> {
  const upload = await spoolUpload(job.body, job.limits.maxBytes);
  try {
    const zip = await openArchiveZip(upload.file, job.limits);
    try {
      const { rows, pending } = await readArchive(zip);
      const people = planPeople(rows.members, job.importer, pending);
      const { kept, held, leftOut } = splitByPerson(rows, people, pending);
      checkHeldRows(held);
      const tenantId = randomUUID();
      try {
        const attachments = [...kept.attachments, ...held.flatMap((h) => h.attachments)];
        const { restored, missing } = await restoreFiles(zip, job.files, tenantId, attachments);
        const written = await restoreRows(job.prisma, { tenantId, importerId: job.importer.userId, rows, kept, held, people, files: restored });
        const { counts, invitations } = written;
        return { workspaceId: tenantId, ids: "remapped", counts, invitations, held: written.held, leftOut, missingFiles: missing };
      } catch (err) {
        await job.files.storage.removeTenant(tenantId);
        // Rows that pass every check and still break a rule of the data model (overlapping entries, two tags of one name) were forged or damaged.
        const failure = dbFailureOf(err);
        if (failure?.sqlState.startsWith("23")) throw malformed(`The archive's rows break a rule of the data model (${failure.constraint ?? failure.sqlState})`);
        throw err;
      }
    } finally {
      zip.close();
    }
  } finally {
    await upload.remove();
  }
}
