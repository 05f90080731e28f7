import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalError } from "../errors.js";
import type { Scope } from "../timer/time-tracker.js";
import type { Attachments, ShownAttachment } from "./attachments.js";

/** The most a renderer may hand over in one call (the bytes travel as base64 through the local API). */
export const MAX_RENDERER_FILE_BYTES = 25 * 1024 * 1024;

/**
 * Attaches a file the renderer read itself (a sandboxed window or a browser has bytes, not a
 * path): the bytes land in a private temporary file, which the ordinary attach copies in.
 */
export async function attachFromBytes(
  attachments: Attachments,
  scope: Scope,
  input: { entryId: string; name: string; base64: string },
): Promise<ShownAttachment> {
  const bytes = Buffer.from(input.base64, "base64");
  if (bytes.length > MAX_RENDERER_FILE_BYTES) {
    throw new LocalError("FILE", `The file is larger than ${MAX_RENDERER_FILE_BYTES / 1024 / 1024} MB`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "hoursync-attach-"));
  const file = path.join(dir, randomUUID());
  try {
    await writeFile(file, bytes, { mode: 0o600 });
    return await attachments.attach(scope, { entryId: input.entryId, path: file, name: input.name });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file of an attachment (downloaded first when only the server has it), for the renderer to open. */
export async function attachmentContent(attachments: Attachments, scope: Scope, id: string) {
  const shown = await attachments.download(scope, id);
  if (!shown.file) throw new LocalError("FILE", "The file is not on this device");
  const bytes = await readFile(shown.file);
  return { name: shown.name, contentType: shown.contentType, base64: bytes.toString("base64") };
}
