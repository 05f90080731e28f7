import { startExportDownload } from "../http/export-download.js";
import type { FastifyInstance } from "fastify";
import { asMember } from "../http/member-route.js";
import { HttpProblem } from "../http/problem.js";
import type { Services } from "../trpc/context.js";
import { sendWorkspaceArchive } from "./workspace-archive.js";

const ownersOnly = () => new HttpProblem(403, "Only an owner can export the whole workspace");

/**
 * GET /export/workspace.zip: the whole workspace as one streamed zip, for
 * its owners (same Authorization and x-hoursync-workspace headers as the
 * API; a non-member gets 404 like everywhere). It takes a place of the
 * workspace's and the person's export caps, is cut off when the client
 * stops reading, and stops at its next page when the exporter stops being
 * an owner.
 */
export function registerWorkspaceExportRoute(app: FastifyInstance, services: Services): void {
  app.get("/export/workspace.zip", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(services, req, reply, "export.workspace", async ({ db, tenantId, member, inTenant }) => {
      if (member.role !== "OWNER") throw ownersOnly();
      const ws = await db.workspace.findFirstOrThrow({ where: { id: tenantId }, select: { timezone: true } });
      return () =>
        services.exports.slots.run(tenantId, member.userId, async () => {
          startExportDownload(reply, "application/zip", `hoursync-workspace-${tenantId}.zip`);
          await sendWorkspaceArchive({
            tenantId,
            exportedBy: member.userId,
            timezone: ws.timezone,
            inTenant: (work) =>
              inTenant((pageDb, now) => {
                if (now.role !== "OWNER") throw ownersOnly();
                return work(pageDb);
              }),
            storage: services.attachments.storage,
            res: reply.raw,
            idleMs: services.slowClientTimeoutMs,
          });
        });
    });
    return reply;
  });
}
