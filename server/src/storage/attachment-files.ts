import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Config } from "../config.js";
import type { FileStorage } from "./file-storage.js";
import { localDirectoryStorage, sweepIncoming } from "./local-directory.js";
import { s3BucketStorage, s3Client } from "./s3-bucket.js";

/** Attachment storage and the limits uploads are held to. */
export interface AttachmentFiles {
  storage: FileStorage;
  /** The local folder behind `storage`; null when the files are in an S3 bucket. */
  root: string | null;
  maxBytes: number;
  quotaBytes: number;
  allowedTypes: ReadonlySet<string>;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The storage from the configuration: the S3 bucket S3_BUCKET; else the local
 * folder ATTACHMENT_DIR, else <DATA_DIR>/attachments, else (an in-memory
 * database) a temporary folder removed on close.
 */
export async function openAttachmentFiles(config: Config): Promise<AttachmentFiles> {
  const limits = {
    maxBytes: config.ATTACHMENT_MAX_BYTES,
    quotaBytes: config.ATTACHMENT_QUOTA_BYTES,
    allowedTypes: new Set(config.ATTACHMENT_TYPES),
  };
  if (config.S3_BUCKET) {
    const client = s3Client({
      bucket: config.S3_BUCKET,
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      credentials:
        config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
          : undefined,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
    return { storage: s3BucketStorage(client, config.S3_BUCKET), root: null, ...limits, close: async () => client.destroy() };
  }
  const temporary = !config.ATTACHMENT_DIR && config.DATA_DIR === "memory://";
  const root = config.ATTACHMENT_DIR ?? (temporary ? await mkdtemp(path.join(os.tmpdir(), "hoursync-files-")) : path.join(config.DATA_DIR, "attachments"));
  const storage = await localDirectoryStorage(root);
  await sweepIncoming(root, DAY_MS);
  return {
    storage,
    root,
    ...limits,
    close: async () => {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}
