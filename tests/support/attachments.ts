import { randomUUID } from "node:crypto";
import { attachmentContentPath, encodeAttachmentHeader, type AttachmentUploadMeta } from "../../server/src/contract/attachments.js";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";
import type { ApiClient } from "./server.js";

/** Uploads `bytes` through tRPC (an octet-stream body, metadata in the header). */
export function upload(api: ApiClient, meta: Partial<AttachmentUploadMeta> & { entryId: string }, bytes: Uint8Array | Blob) {
  const full = { id: randomUUID(), name: "receipt.png", ...meta };
  const body = bytes instanceof Blob ? bytes : new Blob([Buffer.from(bytes)]);
  return api.attachments.upload.mutate(body, { context: { attachment: encodeAttachmentHeader(full) } });
}

/** GET of an attachment's content as `token` in `workspaceId`. */
export async function download(url: string, who: { token: string }, workspaceId: string, attachmentId: string) {
  const res = await fetch(`${url}${attachmentContentPath(attachmentId)}`, {
    headers: { authorization: `Bearer ${who.token}`, [WORKSPACE_HEADER]: workspaceId },
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
