import type { FastifyInstance } from "fastify";
import type { TenantDb } from "../db/tenant.js";
import { seesAllEntries } from "../domain/time-entries.js";
import { summarize } from "../reports/summary.js";
import type { Services } from "../trpc/context.js";
import { asMember } from "../http/member-route.js";
import { sendCsvPages } from "./csv.js";
import { ENTRY_COLUMNS, entryPage, type EntryCursor } from "./entries-csv.js";
import { HttpProblem } from "../http/problem.js";
import { entriesQuery, localDate, parseQuery, reportQuery } from "./query.js";
import { REPORT_COLUMNS, reportRecords } from "./report-csv.js";

function workspaceSettings(db: TenantDb, tenantId: string) {
  return db.workspace.findFirstOrThrow({
    where: { id: tenantId },
    select: { timezone: true, weekStartsOn: true, currency: true },
  });
}

const onlyOwn = () => new HttpProblem(403, "You can only export your own entries");

/**
 * CSV downloads (UTF-8, header row, ISO dates, hours with two decimals):
 * GET /export/entries.csv and GET /export/report.csv, with the same
 * Authorization and x-hoursync-workspace headers as the API. Employees
 * export their own time only. The request is checked in one short
 * transaction; the file is sent after it, in a place of the workspace's and
 * the person's export caps, holding a database connection only while a page
 * is read.
 */
export function registerExportRoutes(app: FastifyInstance, services: Services): void {
  const { slots } = services.exports;
  const { heavy } = services;
  const writeTimeoutMs = services.slowClientTimeoutMs;

  app.get("/export/entries.csv", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(services, req, reply, "export.entries", async ({ db, tenantId, member, inTenant }) => {
      const ws = await workspaceSettings(db, tenantId);
      const q = parseQuery(entriesQuery(ws.timezone), req.query);
      const own = !seesAllEntries(member);
      if (own && q.userId && q.userId !== member.userId) throw onlyOwn();
      const filter = { ...q, userId: own ? member.userId : q.userId };
      const filename = `hoursync-entries-${localDate(q.from, ws.timezone)}-${localDate(q.to, ws.timezone)}.csv`;
      // Each page is read with the caller's role as it is then: a manager demoted mid-export stops seeing others' time.
      const readPage = (after: EntryCursor | null) =>
        inTenant((pageDb, now) => {
          if (!own && !seesAllEntries(now)) throw onlyOwn();
          return entryPage(pageDb, tenantId, filter, ws.timezone, after);
        });
      return () => slots.run(tenantId, member.userId, () => sendCsvPages(reply, filename, ENTRY_COLUMNS, readPage, writeTimeoutMs));
    });
    return reply;
  });

  app.get("/export/report.csv", { exposeHeadRoute: false }, async (req, reply) => {
    await asMember(services, req, reply, "export.report", async ({ db, tenantId, member, inTenant }) => {
      const ws = await workspaceSettings(db, tenantId);
      const { groupBy, ...q } = parseQuery(reportQuery(ws.timezone), req.query);
      const filter = seesAllEntries(member) ? q : { ...q, userIds: [member.userId] };
      const filename = `hoursync-report-${groupBy}-${localDate(q.from, ws.timezone)}-${localDate(q.to, ws.timezone)}.csv`;
      // The totals are a heavy read, like reports.summary: one of the workspace's places, under the statement timeout.
      return async () => {
        const summary = await heavy.gate.run(tenantId, () =>
          inTenant((reportDb) => summarize(reportDb, tenantId, filter, groupBy, ws), heavy.tx),
        );
        const records = reportRecords(summary);
        const onePage = async () => ({ records, next: null });
        await slots.run(tenantId, member.userId, () => sendCsvPages(reply, filename, REPORT_COLUMNS, onePage, writeTimeoutMs));
      };
    });
    return reply;
  });
}
