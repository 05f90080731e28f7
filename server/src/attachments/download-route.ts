import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { seesAllEntries } from "../domain/time-entries.js";
import { asMember } from "../http/member-route.js";
import { pipePaced } from "../http/paced-write.js";
import { HttpProblem } from "../http/problem.js";
import type { Services } from "../trpc/context.js";
import { contentDisposition } from "./content-disposition.js";

const params = z.object({ id: z.uuid() });

/**
 * GET /attachments/:id/content, with the API's Authorization and workspace
 * headers: the row is read through the tenant-scoped database first (the
 * entry's owner, or managers and up); only then is the file opened, under
 * that tenant's prefix, and streamed after the transaction has ended, at
 * the pace the client reads.
 */
export function registerAttachmentRoutes(app: FastifyInstance, services: Services): void {
  app.get("/attachments/:id/content", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(services, req, reply, "attachments.content", async ({ db, tenantId, member }) => {
      const parsed = params.safeParse(req.params);
      const row = parsed.success
        ? await db.attachment.findFirst({
            where: { tenantId, id: parsed.data.id },
            select: { userId: true, originalName: true, sizeBytes: true, contentType: true, sha256: true, storageKey: true },
          })
        : null;
      if (!row || (row.userId !== member.userId && !seesAllEntries(member))) throw new HttpProblem(404, "Attachment not found");
      return async () => {
        const file = await services.attachments.storage.open(tenantId, row.storageKey);
        if (!file) {
          services.log("error", "attachment file missing", { tenantId, storageKey: row.storageKey });
          throw new HttpProblem(404, "Attachment not found");
        }
        // Sent by hand, as the CSV exports are: a failure mid-file cuts the response short.
        reply.hijack();
        reply.raw.writeHead(200, {
            "content-type": row.contentType,
            "content-length": String(row.sizeBytes),
            "content-disposition": contentDisposition(row.originalName),
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; sandbox",
            "cache-control": "private, no-store",
            "x-hoursync-sha256": row.sha256,
        });
        // A client that stops reading is cut off after the slow-client timeout, not kept (with the file open) for ever.
        await pipePaced(file, reply.raw, services.slowClientTimeoutMs);
      };
    });
    return reply;
  });
}
