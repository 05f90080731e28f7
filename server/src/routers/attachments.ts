import { Readable } from "node:stream";
import { octetInputParser } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { storeUpload } from "../attachments/upload.js";
import { purgeRemovedFiles } from "../attachments/purge.js";
import { VIEW_FIELDS, viewOf } from "../attachments/view.js";
import { recordAudit } from "../audit/record.js";
import { attachmentUploadMeta } from "../contract/attachments.js";
import { id } from "../contract/common.js";
import { DomainError } from "../domain/errors.js";
import { openEditableEntry, readableEntry } from "../domain/time-entries.js";
import { router } from "../trpc/init.js";
import { streamingTenantProcedure, tenantProcedure } from "../trpc/procedures.js";

/** The upload's metadata from its header; bad or missing metadata is bad input with field errors. */
function uploadMeta(header: string | null) {
  let raw: unknown = null;
  try {
    raw = header ? JSON.parse(decodeURIComponent(header)) : null;
  } catch {
    raw = null;
  }
  const parsed = attachmentUploadMeta.safeParse(raw ?? {});
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: parsed.error });
  return parsed.data;
}

export const attachmentsRouter = router({
  /**
   * The body is the file (application/octet-stream); the x-hoursync-attachment
   * header says which entry it goes on, its client-made id and its name.
   */
  upload: streamingTenantProcedure.input(octetInputParser).mutation(async ({ ctx, input }) => {
    const body = Readable.fromWeb(input as Parameters<typeof Readable.fromWeb>[0]);
    let meta;
    try {
      meta = uploadMeta(ctx.req.attachment);
    } catch (err) {
      body.destroy();
      throw err;
    }
    return storeUpload(ctx.services.attachments, ctx.inTenant, ctx.tenantId, meta, body);
  }),

  /** The attachments of an entry the caller may read. */
  list: tenantProcedure.input(z.object({ entryId: id })).query(async ({ ctx, input }) => {
    await readableEntry(ctx.db, ctx.tenantId, ctx.member, input.entryId);
    const rows = await ctx.db.attachment.findMany({
      where: { tenantId: ctx.tenantId, entryId: input.entryId },
      select: VIEW_FIELDS,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(viewOf);
  }),

  /** Removes the row now and the file right after commit. */
  delete: tenantProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const row = await ctx.db.attachment.findFirst({ where: { tenantId: ctx.tenantId, id: input.id }, select: VIEW_FIELDS });
    if (!row) throw new DomainError("NOT_FOUND", "Attachment not found");
    await openEditableEntry(ctx.db, ctx.tenantId, ctx.member, row.entryId).catch((err: unknown) => {
      // Someone who may not edit the entry learns nothing about its attachments.
      if (err instanceof DomainError && err.reason === "NOT_FOUND") throw new DomainError("NOT_FOUND", "Attachment not found");
      throw err;
    });
    await ctx.db.attachment.delete({ where: { tenantId_id: { tenantId: ctx.tenantId, id: input.id } } });
    await recordAudit(ctx.db, ctx.tenantId, {
      actorUserId: ctx.member.userId,
      action: "attachment.deleted",
      targetType: "attachment",
      targetId: input.id,
      details: { entryId: row.entryId, name: row.originalName },
    });
    ctx.afterCommit(() => purgeRemovedFiles(ctx.services, ctx.tenantId));
    return { ok: true as const };
  }),
});
