import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Config } from "../config.js";
import type { FileStorage } from "./file-storage.js";
import { localDirectoryStorage, sweepIncoming } from "./local-directory.js";

/** Attachment storage and the limits uploads are held to. */
export interface AttachmentFiles {
  storage: FileStorage;
  /** The local folder behind `storage`. */
  root: string;
  maxBytes: number;
  quotaBytes: number;
  allowedTypes: ReadonlySet<string>;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The local folder from the configuration: ATTACHMENT_DIR, else
 * <DATA_DIR>/attachments, else (an in-memory database) a temporary folder
 * removed on close.
 */
export async function openAttachmentFiles(config: Config): Promise<AttachmentFiles> {
  const temporary = !config.ATTACHMENT_DIR && config.DATA_DIR === "memory://";
  const root = config.ATTACHMENT_DIR ?? (temporary ? await mkdtemp(path.join(os.tmpdir(), "hoursync-files-")) : path.join(config.DATA_DIR, "attachments"));
  const storage = await localDirectoryStorage(root);
  await sweepIncoming(root, DAY_MS);
  return {
    storage,
    root,
    maxBytes: config.ATTACHMENT_MAX_BYTES,
    quotaBytes: config.ATTACHMENT_QUOTA_BYTES,
    allowedTypes: new Set(config.ATTACHMENT_TYPES),
    close: async () => {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}
