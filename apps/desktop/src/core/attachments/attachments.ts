import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { attachmentName } from "@hoursync/contract";
import { LocalError } from "../errors.js";
import type { AttachmentListing, AttachmentStore } from "../store/attachments.js";
import type { EntryStore } from "../store/entries.js";
import type { LocalDb } from "../store/local-db.js";
import type { Outbox, OutboxItem } from "../store/outbox.js";
import { OfflineError, type SyncTransport } from "../sync/transport.js";
import type { Scope } from "../timer/time-tracker.js";
import { parseInput } from "../validation.js";
import { ContentMismatchError, type AttachmentFiles } from "./attachment-files.js";
import { guessContentType } from "./content-type.js";

const attachInput = z.object({
  entryId: z.uuid(),
  path: z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), "Must be an absolute path"),
  /** Defaults to the file's own name. */
  name: attachmentName.optional(),
});
export type AttachInput = z.input<typeof attachInput>;

const attachmentId = z.uuid();

/** An attachment as the UI gets it: with its state and, when on this device, where its file is. */
export interface ShownAttachment extends AttachmentListing {
  /** Absolute path of the local copy, or null while only the server has it. */
  file: string | null;
}

/**
 * Files on time entries, offline first. Attaching copies the file into the
 * data folder and queues its upload in the outbox in the same transaction as
 * the row, so it follows the entry's own queued change and survives restarts;
 * the sync engine sends it. Files of other devices download on demand.
 */
export class Attachments {
  private readonly downloads = new Map<string, Promise<ShownAttachment>>();

  constructor(
    private readonly db: LocalDb,
    private readonly store: AttachmentStore,
    private readonly entries: EntryStore,
    private readonly outbox: Outbox,
    private readonly files: AttachmentFiles,
    private readonly transport: SyncTransport,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = randomUUID,
  ) {}

  async attach(scope: Scope, input: AttachInput): Promise<ShownAttachment> {
    const { entryId, path: source, name: given } = parseInput(attachInput, input);
    const name = given ?? parseInput(attachmentName, path.basename(source));
    this.ownEntry(scope, entryId);
    await this.checkSource(source);
    const id = this.newId();
    const written = await this.files.copyIn(scope.workspaceId, id, source).catch((err: unknown) => {
      throw new LocalError("FILE", `The file cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    });
    try {
      this.db.transaction(() => {
        // The copy took a while: the entry may have gone meanwhile.
        this.ownEntry(scope, entryId);
        this.store.insert({
          workspaceId: scope.workspaceId,
          id,
          entryId,
          name,
          sizeBytes: written.sizeBytes,
          contentType: guessContentType(name),
          sha256: written.sha256,
          localPath: written.localPath,
          origin: "device",
          removing: false,
          createdAt: this.now(),
        });
        this.outbox.append(scope.workspaceId, "attachment.upload", id, { id, entryId, name });
      })();
    } catch (err) {
      this.files.remove(written.localPath);
      throw err;
    }
    return this.shown(scope.workspaceId, id);
  }

  list(scope: Scope, entryId: string): ShownAttachment[] {
    const id = parseInput(attachmentId, entryId);
    return this.store.forEntry(scope.workspaceId, id).map((a) => this.withFile(a));
  }

  /** Brings the file to this device (once, however often it is asked for at the same time). */
  async download(scope: Scope, id: string): Promise<ShownAttachment> {
    const attachment = parseInput(attachmentId, id);
    const key = `${scope.workspaceId}/${attachment}`;
    let running = this.downloads.get(key);
    if (!running) {
      running = this.fetchFile(scope.workspaceId, attachment).finally(() => this.downloads.delete(key));
      this.downloads.set(key, running);
    }
    return running;
  }

  /**
   * Removes an attachment: at once locally, on the server with the next sync.
   * One the server refused is simply forgotten.
   */
  remove(scope: Scope, id: string): void {
    const attachment = parseInput(attachmentId, id);
    const ws = scope.workspaceId;
    const leftover = this.db.transaction(() => {
      const shown = this.store.listing(ws, attachment);
      if (!shown) throw new LocalError("NOT_FOUND", "Attachment not found");
      // A queued upload is dropped; had it reached the server already, the delete catches it.
      this.outbox.dropEntity(ws, attachment);
      if (shown.rejection?.action === "upload") return this.store.remove(ws, attachment);
      this.outbox.append(ws, "attachment.delete", attachment, { id: attachment });
      this.store.setRemoving(ws, attachment, true);
      return null;
    })();
    if (leftover) this.files.remove(leftover);
  }

  /** Gives up a refused upload (the file goes) or a refused removal (the attachment stays, as on the server). */
  discardRejected(workspaceId: string, item: OutboxItem): void {
    if (item.status !== "rejected") throw new LocalError("NOT_FOUND", "No such refused change");
    const leftover = this.db.transaction(() => {
      this.outbox.dropEntity(workspaceId, item.entityId);
      if (item.name === "attachment.upload") return this.store.remove(workspaceId, item.entityId);
      this.store.setRemoving(workspaceId, item.entityId, false);
      return null;
    })();
    if (leftover) this.files.remove(leftover);
  }

  /** Deletes the copies of a workspace that is being forgotten on this device. */
  forgetWorkspace(workspaceId: string): void {
    this.files.removeWorkspace(workspaceId);
  }

  /** Deletes copies no row points at (left by a crash between a commit and a file operation). */
  sweep(): string[] {
    return this.files.sweep(this.store.localPaths());
  }

  private async fetchFile(ws: string, id: string): Promise<ShownAttachment> {
    const known = this.store.listing(ws, id);
    if (!known) throw new LocalError("NOT_FOUND", "Attachment not found");
    if (known.localPath && existsSync(this.files.absolute(known.localPath))) return this.withFile(known);
    let written;
    try {
      const body = await this.transport.downloadAttachment(ws, id);
      written = await this.files.write(ws, id, body, { sizeBytes: known.sizeBytes, sha256: known.sha256 });
    } catch (err) {
      throw downloadError(err);
    }
    if (!this.store.setLocalPath(ws, id, written.localPath)) {
      // Deleted (pulled or removed) while it was downloading.
      this.files.remove(written.localPath);
      throw new LocalError("NOT_FOUND", "Attachment not found");
    }
    return this.shown(ws, id);
  }

  private shown(ws: string, id: string): ShownAttachment {
    const listing = this.store.listing(ws, id);
    if (!listing) throw new LocalError("NOT_FOUND", "Attachment not found");
    return this.withFile(listing);
  }

  private withFile(a: AttachmentListing): ShownAttachment {
    return { ...a, file: a.localPath ? this.files.absolute(a.localPath) : null };
  }

  private ownEntry(scope: Scope, entryId: string): void {
    const entry = this.entries.get(scope.workspaceId, entryId);
    if (!entry || entry.userId !== scope.userId) throw new LocalError("NOT_FOUND", "Time entry not found");
  }

  private async checkSource(source: string): Promise<void> {
    const info = await stat(source).catch(() => null);
    if (!info) throw new LocalError("FILE", "The file cannot be found");
    if (!info.isFile()) throw new LocalError("FILE", "Only files can be attached");
  }
}

function downloadError(err: unknown): LocalError {
  if (err instanceof LocalError) return err;
  if (err instanceof OfflineError) return new LocalError("SERVER", "The server cannot be reached");
  if (err instanceof ContentMismatchError) return new LocalError("SERVER", err.message);
  return new LocalError("SERVER", "The download was interrupted");
}
