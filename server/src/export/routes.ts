import type { FastifyInstance } from "fastify";
import type { TenantDb } from "../db/tenant.js";
import { seesAllEntries } from "../domain/time-entries.js";
import { summarize } from "../reports/summary.js";
import type { Services } from "../trpc/context.js";
import { asMember } from "../http/member-route.js";
import { sendCsv } from "./csv.js";
import { ENTRY_COLUMNS, entryRecords } from "./entries-csv.js";
import { HttpProblem } from "../http/problem.js";
import { entriesQuery, localDate, parseQuery, reportQuery } from "./query.js";
import { REPORT_COLUMNS, reportRecords } from "./report-csv.js";

/** How long one export may hold its tenant transaction (a slow client gets a cut-short file after that). */
export const EXPORT_TIMEOUT_MS = 120_000;

function workspaceSettings(db: TenantDb, tenantId: string) {
  return db.workspace.findFirstOrThrow({
    where: { id: tenantId },
    select: { timezone: true, weekStartsOn: true, currency: true },
  });
}

/**
 * CSV downloads (UTF-8, header row, ISO dates, hours with two decimals):
 * GET /export/entries.csv and GET /export/report.csv, with the same
 * Authorization and x-hoursync-workspace headers as the API. Employees
 * export their own time only.
 */
export function registerExportRoutes(app: FastifyInstance, services: Services): void {
  app.get("/export/entries.csv", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(
      services,
      req,
      reply,
      "export.entries",
      async ({ db, tenantId, member }) => {
        const ws = await workspaceSettings(db, tenantId);
        const q = parseQuery(entriesQuery(ws.timezone), req.query);
        const own = !seesAllEntries(member);
        if (own && q.userId && q.userId !== member.userId) {
          throw new HttpProblem(403, "You can only export your own entries");
        }
        const filter = { ...q, userId: own ? member.userId : q.userId };
        const filename = `hoursync-entries-${localDate(q.from, ws.timezone)}-${localDate(q.to, ws.timezone)}.csv`;
        await sendCsv(reply, filename, ENTRY_COLUMNS, entryRecords(db, tenantId, filter, ws.timezone));
      },
      { timeout: EXPORT_TIMEOUT_MS },
    );
    return reply;
  });

  app.get("/export/report.csv", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(services, req, reply, "export.report", async ({ db, tenantId, member }) => {
      const ws = await workspaceSettings(db, tenantId);
      const { groupBy, ...q } = parseQuery(reportQuery(ws.timezone), req.query);
      const filter = seesAllEntries(member) ? q : { ...q, userIds: [member.userId] };
      const summary = await summarize(db, tenantId, filter, groupBy, ws);
      const filename = `hoursync-report-${groupBy}-${localDate(q.from, ws.timezone)}-${localDate(q.to, ws.timezone)}.csv`;
      await sendCsv(reply, filename, REPORT_COLUMNS, reportRecords(summary));
    });
    return reply;
  });
}
