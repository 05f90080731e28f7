import { randomUUID } from "node:crypto";
import { at } from "./api.js";
import { upload } from "./attachments.js";
import { pdfFile, pngFile } from "./files.js";
import type { StaffedCompany } from "./staffed-company.js";

/**
 * Fills `company` with one of everything a workspace holds: clients, projects
 * with members, tasks, tags on entries, a running timer, an invitation, a
 * submitted timesheet, attachments, a sync device and a deletion, cached
 * reports and rate-limit counters. Answers the two attachment files' bytes.
 */
export async function fillWorkspace(company: StaffedCompany): Promise<{ files: Buffer[] }> {
  const { make, people } = company;
  const task = await make.task();
  const tag = await make.tag();
  const entry = await make.entry({ projectId: task.projectId, taskId: task.id, tagIds: [tag.id] });
  await make.runningTimer("MANAGER");
  await make.invitation();
  await make.projectWithMember();
  const employee = people.EMPLOYEE.api;
  const monday = await employee.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
  const kept = await employee.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10), description: "with a file" });
  await employee.timesheets.submit.mutate({ periodStart: "2026-03-02" });
  const files = [pngFile(), pdfFile(700)];
  await upload(employee, { entryId: entry.id }, files[0]!);
  await upload(employee, { entryId: kept.id }, files[1]!);
  const clientId = randomUUID();
  await employee.sync.registerClient.mutate({ clientId, name: "laptop" });
  await employee.sync.push.mutate({ clientId, mutations: [{ mutationId: 1, name: "entry.delete", args: { id: monday.id } }] });
  await company.owner.api.reports.summary.query({ from: at("2026-01-01", 0), to: at("2027-01-01", 0), groupBy: "project" });
  await company.owner.api.workspace.auditLog.query();
  return { files };
}
