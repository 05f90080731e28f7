/**
 * The cross-tenant matrix, one case (or more) per tenant procedure.
 *
 * A case arranges the same kind of objects in company A and in company B, then:
 *  - control: A's actor (role `as`) calls the procedure about A's objects, in A, and succeeds;
 *  - attack:  B's actor of the same role calls it in B, naming A's objects
 *             (and, where the input mixes them, B's own), and must end as `expect` says,
 *             leaving everything A can read unchanged;
 *  - foreign workspace: B's actor names A's workspace in the header and gets NOT_FOUND,
 *             which A's audit log records as "access.denied".
 */
import { createHash, randomUUID } from "node:crypto";
import { encodeAttachmentHeader } from "../../../server/src/contract/attachments.js";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { expect } from "vitest";
import type { Role } from "../../../server/src/contract/common.js";
import { createCompany, TEST_PASSWORD, type Company } from "../../support/people.js";
import { errorCodeOf, type ApiClient, type TestServer } from "../../support/server.js";
import type { StaffedCompany } from "../../support/staffed-company.js";
import { pngFile } from "../../support/files.js";
import { togglCsv } from "../../support/csv-import.js";
import { UploadInput, type InputOf, type TenantlessProcedure, type TenantProcedure } from "./procedures.js";

export type AttackOutcome =
  /** Refused as if A's object did not exist. */
  | "NOT_FOUND"
  /** Answered (about B, for calls that name no object of A), with no trace of A anywhere in it. */
  | "NOTHING_OF_A"
  /** Refused for another reason that reveals nothing about A. */
  | { refused: TRPC_ERROR_CODE_KEY; because: string };

export interface IsolationCase<P extends TenantProcedure = TenantProcedure, T = unknown> {
  procedure: P;
  /** What B tries, in words: the test's name. */
  attack: string;
  /** The caller's role, the same in A (control) and in B (attack). */
  as: Role;
  /** Makes the objects the call is about in one company; runs in A and in B. */
  arrange?: (company: StaffedCompany) => Promise<T>;
  /** The input naming `target`'s objects; `own` are the caller's own (A's in the control, B's in the attack). */
  input: (target: T, own: T) => InputOf<P>;
  expect: AttackOutcome;
  /** What A's successful answer must contain, so that its absence from B's answer means something. */
  shows?: (target: T, company: StaffedCompany) => string[];
  /** A read of A's state the standard workspace contents do not cover. */
  alsoRead?: (api: ApiClient, target: T) => Promise<unknown>;
  /** Set (with the reason) when the control destroys A: the case then gets companies of its own. */
  freshCompanies?: string;
}

function isolationCase<P extends TenantProcedure, T = undefined>(c: IsolationCase<P, T>): IsolationCase {
  return c as unknown as IsolationCase;
}

const fresh = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;
const everything = { page: { limit: 500, cursor: 0 } };

export const ISOLATION_CASES: IsolationCase[] = [
  // ---- workspace ----
  isolationCase({
    procedure: "workspace.get",
    attack: "B's employee reads its workspace and learns nothing of A's",
    as: "EMPLOYEE",
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (_, a) => [a.workspaceId, a.name],
  }),
  isolationCase({
    procedure: "workspace.update",
    attack: "B's admin changes settings, and only B's change",
    as: "ADMIN",
    input: () => ({ currency: "USD", weekStartsOn: 0, timezone: "Europe/Berlin" }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "workspace.delete",
    attack: "B's owner confirms a deletion with A's name",
    as: "OWNER",
    arrange: async (company) => ({ name: company.name }),
    input: (target) => ({ confirmName: target.name }),
    expect: { refused: "BAD_REQUEST", because: "an owner can only ever delete their own workspace, and A's name does not confirm B" },
    freshCompanies: "the control deletes A",
  }),
  isolationCase({
    procedure: "workspace.auditLog",
    attack: "B's admin reads its audit log and sees none of A's events",
    as: "ADMIN",
    input: () => ({ page: { limit: 500, cursor: 0 } }),
    expect: "NOTHING_OF_A",
    shows: (_, a) => [a.workspaceId],
  }),
  isolationCase({
    procedure: "workspace.auditLog",
    attack: "B's admin filters its audit log by A's admin as the actor and sees nothing of A",
    as: "ADMIN",
    arrange: async (company) => ({ actor: company.people.ADMIN.userId }),
    input: (target) => ({ actorUserId: target.actor, page: { limit: 500, cursor: 0 } }),
    expect: "NOTHING_OF_A",
    shows: (_, a) => [a.workspaceId, a.people.ADMIN.userId],
  }),

  // ---- members ----
  isolationCase({
    procedure: "members.list",
    attack: "B's manager lists its members and sees none of A's people",
    as: "MANAGER",
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (_, a) => [a.people.EMPLOYEE.userId, a.people.ADMIN.email],
  }),
  isolationCase({
    procedure: "members.invite",
    attack: "B's admin invites someone, into B only",
    as: "ADMIN",
    input: () => ({ email: `${fresh("invitee").replace(" ", "-")}@example.test`, role: "EMPLOYEE" }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "members.invitations",
    attack: "B's admin lists pending invitations and sees none of A's",
    as: "ADMIN",
    arrange: (company) => company.make.invitation(),
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (invitation) => [invitation.id, invitation.email],
  }),
  isolationCase({
    procedure: "members.revokeInvitation",
    attack: "B's admin revokes A's invitation by id",
    as: "ADMIN",
    arrange: (company) => company.make.invitation(),
    input: (invitation) => ({ id: invitation.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "members.changeRole",
    attack: "B's admin promotes A's employee",
    as: "ADMIN",
    arrange: (company) => company.make.member("EMPLOYEE"),
    input: (member) => ({ membershipId: member.membershipId, role: "MANAGER" }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "members.setRate",
    attack: "B's admin sets the hourly rate of A's employee",
    as: "ADMIN",
    arrange: (company) => company.make.member("EMPLOYEE"),
    input: (member) => ({ membershipId: member.membershipId, hourlyRateCents: 4200 }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "members.remove",
    attack: "B's admin removes A's employee",
    as: "ADMIN",
    arrange: (company) => company.make.member("EMPLOYEE"),
    input: (member) => ({ membershipId: member.membershipId }),
    expect: "NOT_FOUND",
  }),

  // ---- clients ----
  isolationCase({
    procedure: "clients.list",
    attack: "B's employee lists clients and sees none of A's",
    as: "EMPLOYEE",
    arrange: (company) => company.make.client(),
    input: () => ({ includeArchived: true, ...everything }),
    expect: "NOTHING_OF_A",
    shows: (client) => [client.id, client.name],
  }),
  isolationCase({
    procedure: "clients.create",
    attack: "B's admin creates a client, in B only",
    as: "ADMIN",
    input: () => ({ name: fresh("client") }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "clients.update",
    attack: "B's admin renames and archives A's client",
    as: "ADMIN",
    arrange: (company) => company.make.client(),
    input: (client) => ({ id: client.id, name: fresh("client"), archived: true }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "clients.delete",
    attack: "B's admin deletes A's client",
    as: "ADMIN",
    arrange: (company) => company.make.client(),
    input: (client) => ({ id: client.id }),
    expect: "NOT_FOUND",
  }),

  // ---- projects ----
  isolationCase({
    procedure: "projects.list",
    attack: "B's employee lists projects filtered by A's client",
    as: "EMPLOYEE",
    arrange: (company) => company.make.project(),
    input: (project) => ({ clientId: project.clientId, includeArchived: true, ...everything }),
    expect: "NOTHING_OF_A",
    shows: (project) => [project.id, project.name],
  }),
  isolationCase({
    procedure: "projects.get",
    attack: "B's employee reads A's project by id",
    as: "EMPLOYEE",
    arrange: (company) => company.make.project(),
    input: (project) => ({ id: project.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.create",
    attack: "B's admin creates a project under A's client",
    as: "ADMIN",
    arrange: (company) => company.make.client(),
    input: (client) => ({ name: fresh("project"), clientId: client.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.update",
    attack: "B's admin renames and archives A's project",
    as: "ADMIN",
    arrange: (company) => company.make.project(),
    input: (project) => ({ id: project.id, name: fresh("project"), archived: true }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.update",
    attack: "B's admin files B's own project under A's client",
    as: "ADMIN",
    arrange: async (company) => ({ project: await company.make.project(), client: await company.make.client() }),
    input: (target, own) => ({ id: own.project.id, clientId: target.client.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.delete",
    attack: "B's admin deletes A's project",
    as: "ADMIN",
    arrange: (company) => company.make.project(),
    input: (project) => ({ id: project.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.members",
    attack: "B's manager lists the members of A's project",
    as: "MANAGER",
    arrange: (company) => company.make.projectWithMember(),
    input: (target) => ({ projectId: target.project.id }),
    expect: "NOTHING_OF_A",
    shows: (target) => [target.membershipId],
  }),
  isolationCase({
    procedure: "projects.addMember",
    attack: "B's admin puts A's employee on A's project",
    as: "ADMIN",
    arrange: async (company) => ({ project: await company.make.project(), membershipId: company.people.EMPLOYEE.membershipId }),
    input: (target) => ({ projectId: target.project.id, membershipId: target.membershipId }),
    expect: "NOT_FOUND",
    alsoRead: (api, target) => api.projects.members.query({ projectId: target.project.id }),
  }),
  isolationCase({
    procedure: "projects.addMember",
    attack: "B's admin puts A's employee on B's own project",
    as: "ADMIN",
    arrange: async (company) => ({ project: await company.make.project(), membershipId: company.people.EMPLOYEE.membershipId }),
    input: (target, own) => ({ projectId: own.project.id, membershipId: target.membershipId }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "projects.addMember",
    attack: "B's admin puts B's own employee on A's project",
    as: "ADMIN",
    arrange: async (company) => ({ project: await company.make.project(), membershipId: company.people.EMPLOYEE.membershipId }),
    input: (target, own) => ({ projectId: target.project.id, membershipId: own.membershipId }),
    expect: "NOT_FOUND",
    alsoRead: (api, target) => api.projects.members.query({ projectId: target.project.id }),
  }),
  isolationCase({
    procedure: "projects.removeMember",
    attack: "B's admin takes A's employee off A's project",
    as: "ADMIN",
    arrange: (company) => company.make.projectWithMember(),
    input: (target) => ({ projectId: target.project.id, membershipId: target.membershipId }),
    expect: "NOT_FOUND",
    alsoRead: (api, target) => api.projects.members.query({ projectId: target.project.id }),
  }),
  isolationCase({
    procedure: "projects.totals",
    attack: "B's manager reads project totals and sees none of A's projects",
    as: "MANAGER",
    arrange: async (company) => {
      const project = await company.make.project();
      await company.make.entry({ projectId: project.id });
      return project;
    },
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (project) => [project.id],
  }),

  // ---- tasks ----
  isolationCase({
    procedure: "tasks.list",
    attack: "B's employee lists the tasks of A's project",
    as: "EMPLOYEE",
    arrange: (company) => company.make.task(),
    input: (task) => ({ projectId: task.projectId, includeDone: true, ...everything }),
    expect: "NOTHING_OF_A",
    shows: (task) => [task.id, task.name],
  }),
  isolationCase({
    procedure: "tasks.create",
    attack: "B's admin adds a task to A's project",
    as: "ADMIN",
    arrange: (company) => company.make.project(),
    input: (project) => ({ projectId: project.id, name: fresh("task") }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "tasks.update",
    attack: "B's admin renames and completes A's task",
    as: "ADMIN",
    arrange: (company) => company.make.task(),
    input: (task) => ({ id: task.id, name: fresh("task"), done: true }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "tasks.delete",
    attack: "B's admin deletes A's task",
    as: "ADMIN",
    arrange: (company) => company.make.task(),
    input: (task) => ({ id: task.id }),
    expect: "NOT_FOUND",
  }),

  // ---- tags ----
  isolationCase({
    procedure: "tags.list",
    attack: "B's employee lists tags and sees none of A's",
    as: "EMPLOYEE",
    arrange: (company) => company.make.tag(),
    input: () => everything,
    expect: "NOTHING_OF_A",
    shows: (tag) => [tag.id, tag.name],
  }),
  isolationCase({
    procedure: "tags.create",
    attack: "B's admin creates a tag, in B only",
    as: "ADMIN",
    input: () => ({ name: fresh("tag") }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "tags.rename",
    attack: "B's admin renames A's tag",
    as: "ADMIN",
    arrange: (company) => company.make.tag(),
    input: (tag) => ({ id: tag.id, name: fresh("tag") }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "tags.delete",
    attack: "B's admin deletes A's tag",
    as: "ADMIN",
    arrange: (company) => company.make.tag(),
    input: (tag) => ({ id: tag.id }),
    expect: "NOT_FOUND",
  }),

  // ---- time entries ----
  isolationCase({
    procedure: "entries.list",
    attack: "B's manager lists the entries of A's employee",
    as: "MANAGER",
    arrange: (company) => company.make.entry(),
    input: (entry) => ({ userId: entry.userId, ...everything }),
    expect: "NOTHING_OF_A",
    shows: (entry) => [entry.id, entry.description],
  }),
  isolationCase({
    procedure: "entries.list",
    attack: "B's employee lists entries on A's project",
    as: "EMPLOYEE",
    arrange: async (company) => {
      const project = await company.make.project();
      return { project, entry: await company.make.entry({ projectId: project.id }) };
    },
    input: (target) => ({ projectId: target.project.id, ...everything }),
    expect: "NOTHING_OF_A",
    shows: (target) => [target.entry.id],
  }),
  isolationCase({
    procedure: "entries.get",
    attack: "B's owner reads A's entry by id",
    as: "OWNER",
    arrange: (company) => company.make.entry(),
    input: (entry) => ({ id: entry.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "entries.running",
    attack: "B's employee asks for the running timer and never gets A's",
    as: "EMPLOYEE",
    arrange: (company) => company.make.runningTimer(),
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (timer) => [timer.id],
  }),
  isolationCase({
    procedure: "entries.create",
    attack: "B's employee books time on A's project, task and tag",
    as: "EMPLOYEE",
    arrange: async (company) => ({ task: await company.make.task(), tag: await company.make.tag(), when: company.make.slot() }),
    input: (target, own) => ({ ...own.when, projectId: target.task.projectId, taskId: target.task.id, tagIds: [target.tag.id] }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "entries.create",
    attack: "B's employee tags an entry on B's own project with A's tag",
    as: "EMPLOYEE",
    arrange: async (company) => ({ task: await company.make.task(), tag: await company.make.tag(), when: company.make.slot() }),
    input: (target, own) => ({ ...own.when, projectId: own.task.projectId, taskId: own.task.id, tagIds: [target.tag.id] }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "entries.update",
    attack: "B's owner edits A's entry by id",
    as: "OWNER",
    arrange: (company) => company.make.entry(),
    input: (entry) => ({ id: entry.id, description: fresh("edited"), billable: true }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "entries.update",
    attack: "B's employee moves B's own entry onto A's project",
    as: "EMPLOYEE",
    arrange: async (company) => ({ entry: await company.make.entry(), project: await company.make.project() }),
    input: (target, own) => ({ id: own.entry.id, projectId: target.project.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "entries.stop",
    attack: "B's employee stops a timer, and only their own stops",
    as: "EMPLOYEE",
    arrange: (company) => company.make.runningTimer(),
    input: (_target, own) => ({ end: new Date(own.start.getTime() + 3_600_000) }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "entries.delete",
    attack: "B's owner deletes A's entry",
    as: "OWNER",
    arrange: (company) => company.make.entry(),
    input: (entry) => ({ id: entry.id }),
    expect: "NOT_FOUND",
  }),

  // ---- CSV import ----
  isolationCase({
    procedure: "csvImport.entries",
    // A dry run: the same name resolution as a real import, without leaving B rows named like A's
    // for the later cases to find (the real run across tenants is in tests/server/api/csv-import.test.ts).
    attack: "B's admin dry-runs a CSV naming A's employee, project and tag: A's people are strangers to B, A's names would only make B's own",
    as: "ADMIN",
    arrange: async (company) => ({
      email: company.people.EMPLOYEE.email,
      project: await company.make.project(),
      tag: await company.make.tag(),
      when: [company.make.slot(), company.make.slot()],
    }),
    input: (target, own) => ({
      csv: togglCsv([
        { email: target.email, project: target.project.name, tags: [target.tag.name], description: fresh("imported"), ...own.when[0]! },
        { email: own.email, project: target.project.name, tags: [target.tag.name], description: fresh("imported"), ...own.when[1]! },
      ]),
      timeZone: "UTC",
      dryRun: true,
    }),
    expect: "NOTHING_OF_A",
  }),
  // ---- attachments ----
  isolationCase({
    procedure: "attachments.upload",
    attack: "B's employee attaches a file to A's entry",
    as: "EMPLOYEE",
    arrange: (company) => company.make.entry(),
    input: (entry) => new UploadInput({ id: randomUUID(), entryId: entry.id, name: "receipt.png" }, pngFile()) as unknown as Blob,
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "attachments.list",
    attack: "B's manager lists the attachments of A's entry",
    as: "MANAGER",
    arrange: (company) => attachedFile(company),
    input: (file) => ({ entryId: file.entryId }),
    expect: "NOT_FOUND",
    shows: (file) => [file.id, file.sha256],
  }),
  isolationCase({
    procedure: "attachments.delete",
    attack: "B's owner deletes A's attachment by id",
    as: "OWNER",
    arrange: (company) => attachedFile(company),
    input: (file) => ({ id: file.id }),
    expect: "NOT_FOUND",
    alsoRead: (api, file) => api.attachments.list.query({ entryId: file.entryId }),
  }),

  // ---- sync ----
  isolationCase({
    procedure: "sync.registerClient",
    attack: "B's employee registers A's device id and gets a device of B's own",
    as: "EMPLOYEE",
    arrange: (company) => syncedDevice(company),
    input: (device) => ({ clientId: device.clientId, name: "a laptop" }),
    expect: "NOTHING_OF_A",
    shows: () => [],
  }),
  isolationCase({
    procedure: "sync.push",
    attack: "B's employee pushes through A's device id",
    as: "EMPLOYEE",
    arrange: (company) => syncedDevice(company),
    input: (device) => ({
      clientId: device.clientId,
      mutations: [{ mutationId: 2, name: "entry.delete", args: { id: device.entryId } }],
    }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "sync.push",
    attack: "B's employee pushes an edit of A's entry id from B's own device",
    as: "EMPLOYEE",
    arrange: (company) => syncedDevice(company),
    input: (target, own) => ({
      clientId: own.clientId,
      mutations: [
        {
          mutationId: 2 + Math.floor(Math.random() * 1_000_000),
          name: "entry.put",
          args: { id: target.entryId, start: new Date(Date.UTC(2031, 0, 6, 9)), end: new Date(Date.UTC(2031, 0, 6, 10)), description: "overwritten" },
        },
      ],
    }),
    expect: "NOTHING_OF_A",
  }),
  // ---- notifications ----
  isolationCase({
    procedure: "notifications.list",
    attack: "B's manager lists notifications and never gets A's weekly summary",
    as: "MANAGER",
    arrange: (company) => notificationFor(company),
    input: () => ({ unreadOnly: false }),
    expect: "NOTHING_OF_A",
    shows: (n) => [n.id],
  }),
  isolationCase({
    procedure: "notifications.markRead",
    attack: "B's manager marks A's notification read",
    as: "MANAGER",
    arrange: (company) => notificationFor(company),
    input: (n) => ({ id: n.id }),
    expect: "NOT_FOUND",
    alsoRead: async (api) => api.notifications.list.query({ unreadOnly: true }),
  }),
  // ---- reports ----
  isolationCase({
    procedure: "reports.summary",
    attack: "B's manager reports on everyone over all time and gets none of A's projects or hours",
    as: "MANAGER",
    arrange: async (company) => {
      const project = await company.make.project();
      await company.make.entry({ projectId: project.id });
      return project;
    },
    input: () => ({ from: new Date("2000-01-01T00:00:00Z"), to: new Date("2099-01-01T00:00:00Z"), groupBy: "project" as const }),
    expect: "NOTHING_OF_A",
    shows: (project) => [project.id, project.name],
  }),
  isolationCase({
    procedure: "reports.summary",
    attack: "B's manager asks for every day's hours split by project and gets none of A's projects or hours",
    as: "MANAGER",
    arrange: async (company) => {
      const project = await company.make.project();
      await company.make.entry({ projectId: project.id });
      return project;
    },
    input: () => ({ from: new Date("2000-01-01T00:00:00Z"), to: new Date("2099-01-01T00:00:00Z"), groupBy: "day" as const, stackBy: "project" as const }),
    expect: "NOTHING_OF_A",
    // Days are labelled by date: the split names projects by id only.
    shows: (project) => [project.id],
  }),
  // ---- timesheets ----
  isolationCase({
    procedure: "timesheets.submit",
    attack: "B's employee submits a week, in B only",
    as: "EMPLOYEE",
    input: () => ({ periodStart: freshMonday() }),
    expect: "NOTHING_OF_A",
  }),
  isolationCase({
    procedure: "timesheets.withdraw",
    attack: "B's employee withdraws A's submitted timesheet",
    as: "EMPLOYEE",
    arrange: (company) => submittedSheet(company),
    input: (sheet) => ({ id: sheet.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "timesheets.mine",
    attack: "B's employee lists their timesheets and never gets A's",
    as: "EMPLOYEE",
    arrange: (company) => submittedSheet(company),
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (sheet) => [sheet.id],
  }),
  isolationCase({
    procedure: "timesheets.pending",
    attack: "B's manager lists pending timesheets and sees none of A's",
    as: "MANAGER",
    arrange: (company) => submittedSheet(company),
    input: () => undefined,
    expect: "NOTHING_OF_A",
    shows: (sheet) => [sheet.id],
  }),
  isolationCase({
    procedure: "timesheets.pending",
    attack: "B's manager filters the queue by A's person and A's project and gets nothing of A",
    as: "MANAGER",
    arrange: (company) => submittedSheetOnProject(company),
    input: (target) => ({ userId: target.userId, projectId: target.projectId }),
    expect: "NOTHING_OF_A",
    shows: (target, company) => [target.id, company.people.EMPLOYEE.email],
  }),
  isolationCase({
    procedure: "timesheets.team",
    attack: "B's manager reads the team overview of A's submitted week and sees none of A's people",
    as: "MANAGER",
    arrange: (company) => submittedSheetOnProject(company),
    input: (target) => ({ periodStart: target.periodStart }),
    expect: "NOTHING_OF_A",
    shows: (target, company) => [target.id, company.people.EMPLOYEE.email],
  }),
  isolationCase({
    procedure: "timesheets.get",
    attack: "B's manager opens A's timesheet by id",
    as: "MANAGER",
    arrange: (company) => submittedSheet(company),
    input: (sheet) => ({ id: sheet.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "timesheets.approve",
    attack: "B's manager approves A's timesheet",
    as: "MANAGER",
    arrange: (company) => submittedSheet(company),
    input: (sheet) => ({ id: sheet.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "timesheets.reject",
    attack: "B's manager rejects A's timesheet",
    as: "MANAGER",
    arrange: (company) => submittedSheet(company),
    input: (sheet) => ({ id: sheet.id, comment: "please fix" }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "timesheets.reopen",
    attack: "B's admin reopens A's approved timesheet",
    as: "ADMIN",
    arrange: (company) => submittedSheet(company, true),
    input: (sheet) => ({ id: sheet.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "timesheets.history",
    attack: "B's manager reads the history of A's timesheet",
    as: "MANAGER",
    arrange: (company) => submittedSheet(company),
    input: (sheet) => ({ id: sheet.id }),
    expect: "NOT_FOUND",
  }),
  isolationCase({
    procedure: "sync.pull",
    attack: "B's employee pulls everything since the beginning and gets nothing of A's",
    as: "EMPLOYEE",
    arrange: (company) => syncedDevice(company),
    input: () => ({ cursor: 0, limit: 5000 }),
    expect: "NOTHING_OF_A",
    shows: (device) => [device.entryId],
  }),
];

let syncedSlots = 0;

/** Runs the weekly summary job for the whole server (forced) and returns the manager's newest notification. */
async function notificationFor(company: StaffedCompany): Promise<{ id: string }> {
  const { runWeeklySummary } = await import("../../../server/src/jobs/weekly-summary.js");
  await runWeeklySummary(company.server.services.db.prisma, { send: async () => {} }, { force: true, pauseMs: 1 });
  const [latest] = await company.people.MANAGER.api.notifications.list.query({ unreadOnly: true });
  if (!latest) throw new Error("the weekly summary made no notification");
  return { id: latest.id };
}

let sheetWeeks = 0;

/** A Monday no other timesheet of these tests uses. */
function freshMonday(): string {
  return new Date(Date.UTC(2035, 0, 1) + sheetWeeks++ * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The company's employee books an hour in a fresh week and submits it (and its manager approves it, if asked). */
async function submittedSheet(company: StaffedCompany, approved = false): Promise<{ id: string }> {
  const monday = freshMonday();
  const api = company.people.EMPLOYEE.api;
  await api.entries.create.mutate({ start: new Date(`${monday}T09:00:00Z`), end: new Date(`${monday}T10:00:00Z`) });
  const sheet = await api.timesheets.submit.mutate({ periodStart: monday });
  if (approved) await company.people.MANAGER.api.timesheets.approve.mutate({ id: sheet.id });
  return { id: sheet.id };
}

/** The employee books an hour on a project in a fresh week and submits it. */
async function submittedSheetOnProject(company: StaffedCompany): Promise<{ id: string; userId: string; projectId: string; periodStart: string }> {
  const monday = freshMonday();
  const { project } = await company.make.projectWithMember();
  const api = company.people.EMPLOYEE.api;
  await api.entries.create.mutate({ start: new Date(`${monday}T09:00:00Z`), end: new Date(`${monday}T10:00:00Z`), projectId: project.id });
  const sheet = await api.timesheets.submit.mutate({ periodStart: monday });
  return { id: sheet.id, userId: company.people.EMPLOYEE.userId, projectId: project.id, periodStart: monday };
}

/** A device of the company's employee, registered, that has pushed one entry. */
async function syncedDevice(company: StaffedCompany): Promise<{ clientId: string; entryId: string }> {
  const api = company.people.EMPLOYEE.api;
  const clientId = randomUUID();
  const entryId = randomUUID();
  await api.sync.registerClient.mutate({ clientId, name: "laptop" });
  // Each device's entry gets its own hour, so the employee's entries never overlap.
  const start = Date.UTC(2030, 1, 1) + syncedSlots++ * 2 * 3_600_000;
  const res = await api.sync.push.mutate({
    clientId,
    mutations: [
      {
        mutationId: 1,
        name: "entry.put",
        args: { id: entryId, start: new Date(start), end: new Date(start + 3_600_000), description: "synced" },
      },
    ],
  });
  expect(res.results[0]?.status).toBe("applied");
  return { clientId, entryId };
}

// ---- tenant-less procedures ----

export interface TenantlessWorld {
  server: TestServer;
  a: StaffedCompany;
  b: StaffedCompany;
}

export interface TenantlessClaim {
  claim: string;
  check: (world: TenantlessWorld) => Promise<void>;
}

/** B's owner, signed in as themselves but naming A's workspace in the header. */
const bNamingA = ({ server, a, b }: TenantlessWorld) =>
  server.client({ token: b.owner.token, workspaceId: a.workspaceId });

/** A person of neither company (so their sessions and workspaces can be spent freely). */
async function outsider(server: TestServer): Promise<Company> {
  return createCompany(server, "Outsider");
}

/**
 * Each tenant-less procedure must either ignore a named workspace (answering
 * about the caller only) or refuse what would reach into another one.
 */
export const TENANTLESS_CLAIMS: Record<TenantlessProcedure, TenantlessClaim[]> = {
  "health.check": [
    {
      claim: "answers about the process only, whatever workspace is named",
      check: async (world) => {
        expect(await bNamingA(world).health.check.query()).toEqual({ ok: true, database: expect.any(String) });
      },
    },
  ],
  "auth.signUp": [
    {
      claim: "a sign-up naming A's workspace, once confirmed, gets a workspace of its own, not a seat in A",
      check: async ({ server, a }) => {
        const email = `newcomer-${randomUUID()}@example.test`;
        const naming = server.client({ workspaceId: a.workspaceId });
        const asked = await naming.auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Newcomer", workspaceName: "Newcomer Ltd" });
        expect(asked).toEqual({ status: "CONFIRMATION_SENT", email });
        const res = await naming.auth.confirmSignUp.mutate({ code: server.mailbox.codeFor(email) });
        expect(res.workspaceId).not.toBe(a.workspaceId);
        const api = server.client({ token: res.token, workspaceId: a.workspaceId });
        expect(await api.auth.workspaces.query()).toEqual([{ workspaceId: res.workspaceId, name: "Newcomer Ltd", role: "OWNER" }]);
        expect(await errorCodeOf(api.workspace.get.query())).toBe("NOT_FOUND");
      },
    },
    {
      claim: "A's invitation cannot be used to sign up with another email",
      check: async ({ server, a }) => {
        const invitation = await a.owner.api.members.invite.mutate({ email: `invited-${randomUUID()}@example.test`, role: "ADMIN" });
        const membersBefore = await a.owner.api.members.list.query();
        const email = `gatecrasher-${randomUUID()}@example.test`;
        const signUp = server.client().auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Gatecrasher", invitationToken: invitation.token });
        expect(await errorCodeOf(signUp)).toBe("NOT_FOUND");
        expect(server.mailbox.to(email)).toEqual([]);
        expect(await a.owner.api.members.list.query()).toEqual(membersBefore);
        // Nothing half-made: the refused account does not exist.
        expect(await errorCodeOf(server.client().auth.logIn.mutate({ email, password: TEST_PASSWORD }))).toBe("UNAUTHORIZED");
      },
    },
    {
      claim: "signing up with the address of A's owner answers as for a new address, and changes nothing of A's",
      check: async ({ server, a }) => {
        const before = await a.owner.api.workspace.get.query();
        const codesBefore = server.mailbox.codesFor(a.owner.email).length;
        const asked = await server.client({ workspaceId: a.workspaceId }).auth.signUp.mutate({
          email: a.owner.email,
          password: "a password of the intruder",
          name: "Intruder",
          workspaceName: "Takeover",
        });
        expect(asked).toEqual({ status: "CONFIRMATION_SENT", email: a.owner.email });
        // The owner is told, and given no code; their password and workspace are as they were.
        expect(server.mailbox.to(a.owner.email).at(-1)?.subject).toMatch(/already have an account/);
        expect(server.mailbox.codesFor(a.owner.email)).toHaveLength(codesBefore);
        expect(await errorCodeOf(server.client().auth.logIn.mutate({ email: a.owner.email, password: "a password of the intruder" }))).toBe(
          "UNAUTHORIZED",
        );
        expect(await a.owner.api.workspace.get.query()).toEqual(before);
      },
    },
  ],
  "auth.confirmSignUp": [
    {
      claim: "a code joins exactly the workspace its invitation was for (B), whatever workspace the request names",
      check: async ({ server, a, b }) => {
        const email = `joiner-${randomUUID()}@example.test`;
        const invitation = await b.owner.api.members.invite.mutate({ email, role: "EMPLOYEE" });
        await server.client().auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Joiner", invitationToken: invitation.token });
        const res = await server.client({ workspaceId: a.workspaceId }).auth.confirmSignUp.mutate({ code: server.mailbox.codeFor(email) });
        expect(res.workspaceId).toBe(b.workspaceId);
        const api = server.client({ token: res.token, workspaceId: a.workspaceId });
        expect(await api.auth.workspaces.query()).toEqual([{ workspaceId: b.workspaceId, name: b.name, role: "EMPLOYEE" }]);
        expect(await errorCodeOf(api.workspace.get.query())).toBe("NOT_FOUND");
      },
    },
    {
      claim: "an invented, reused or forged code confirms nothing",
      check: async ({ server, a }) => {
        const naming = server.client({ workspaceId: a.workspaceId });
        expect(await errorCodeOf(naming.auth.confirmSignUp.mutate({ code: `hsc_${randomUUID()}` }))).toBe("NOT_FOUND");
        const email = `once-${randomUUID()}@example.test`;
        await naming.auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Once", workspaceName: "Once" });
        const code = server.mailbox.codeFor(email);
        await naming.auth.confirmSignUp.mutate({ code });
        expect(await errorCodeOf(naming.auth.confirmSignUp.mutate({ code }))).toBe("NOT_FOUND");
        expect(await errorCodeOf(naming.auth.confirmSignUp.mutate({ code: `${code.slice(0, -1)}x` }))).toBe("NOT_FOUND");
      },
    },
  ],
  "auth.logIn": [
    {
      claim: "logging in while naming A's workspace gives a session that still cannot enter A",
      check: async ({ server, a, b }) => {
        const res = await server
          .client({ workspaceId: a.workspaceId })
          .auth.logIn.mutate({ email: b.owner.email, password: TEST_PASSWORD });
        expect(Object.keys(res).sort()).toEqual(["expiresAt", "token", "user"]);
        expect(JSON.stringify(res)).not.toContain(a.workspaceId);
        const api = server.client({ token: res.token, workspaceId: a.workspaceId });
        expect(await errorCodeOf(api.workspace.get.query())).toBe("NOT_FOUND");
      },
    },
  ],
  "auth.logOut": [
    {
      claim: "logging out while naming A's workspace ends only the caller's session",
      check: async ({ server, a, b }) => {
        const { token } = await server.client().auth.logIn.mutate({ email: b.owner.email, password: TEST_PASSWORD });
        await server.client({ token, workspaceId: a.workspaceId }).auth.logOut.mutate();
        expect(await errorCodeOf(server.client({ token }).auth.me.query())).toBe("UNAUTHORIZED");
        expect((await a.owner.api.workspace.get.query()).id).toBe(a.workspaceId);
        expect((await b.owner.api.workspace.get.query()).id).toBe(b.workspaceId);
      },
    },
  ],
  "auth.logOutEverywhere": [
    {
      claim: "logging out everywhere while naming A's workspace ends only the caller's sessions",
      check: async ({ server, a }) => {
        const stranger = await outsider(server);
        const api = server.client({ token: stranger.owner.token, workspaceId: a.workspaceId });
        expect((await api.auth.logOutEverywhere.mutate()).revoked).toBe(1);
        expect(await errorCodeOf(stranger.owner.api.auth.me.query())).toBe("UNAUTHORIZED");
        for (const person of Object.values(a.people)) {
          expect((await person.api.auth.me.query()).id).toBe(person.userId);
        }
      },
    },
  ],
  "auth.me": [
    {
      claim: "answers who the caller is, nothing about a named workspace",
      check: async (world) => {
        const me = await bNamingA(world).auth.me.query();
        expect(me).toEqual({ id: world.b.owner.userId, email: world.b.owner.email, name: expect.any(String) });
        expect(JSON.stringify(me)).not.toContain(world.a.marker);
      },
    },
  ],
  "auth.workspaces": [
    {
      claim: "a user of B never sees A among their workspaces, even naming A",
      check: async ({ server, a, b }) => {
        for (const role of ["OWNER", "ADMIN", "MANAGER", "EMPLOYEE"] as const) {
          const fromB = await server.client({ token: b.people[role].token, workspaceId: a.workspaceId }).auth.workspaces.query();
          expect(fromB).toEqual([{ workspaceId: b.workspaceId, name: b.name, role }]);
          const fromA = await server.client({ token: a.people[role].token, workspaceId: b.workspaceId }).auth.workspaces.query();
          expect(fromA).toEqual([{ workspaceId: a.workspaceId, name: a.name, role }]);
        }
      },
    },
  ],
  "auth.createWorkspace": [
    {
      claim: "creating a workspace while naming A's makes a new one, not a seat in A",
      check: async ({ server, a }) => {
        const stranger = await outsider(server);
        const membersBefore = await a.owner.api.members.list.query();
        const api = server.client({ token: stranger.owner.token, workspaceId: a.workspaceId });
        const { workspaceId } = await api.auth.createWorkspace.mutate({ name: "Side business" });
        expect([a.workspaceId, stranger.workspaceId]).not.toContain(workspaceId);
        expect((await api.auth.workspaces.query()).map((w) => w.workspaceId).sort()).toEqual(
          [stranger.workspaceId, workspaceId].sort(),
        );
        expect(await errorCodeOf(api.workspace.get.query())).toBe("NOT_FOUND");
        expect(await a.owner.api.members.list.query()).toEqual(membersBefore);
      },
    },
  ],
  "auth.acceptInvitation": [
    {
      claim: "B's owner cannot accept A's invitation addressed to someone else",
      check: async ({ server, a, b }) => {
        const invitation = await a.owner.api.members.invite.mutate({ email: `invited-${randomUUID()}@example.test`, role: "ADMIN" });
        const membersBefore = await a.owner.api.members.list.query();
        expect(await errorCodeOf(b.owner.api.auth.acceptInvitation.mutate({ token: invitation.token }))).toBe("NOT_FOUND");
        expect(await a.owner.api.members.list.query()).toEqual(membersBefore);
        expect(await errorCodeOf(server.client({ token: b.owner.token, workspaceId: a.workspaceId }).workspace.get.query())).toBe(
          "NOT_FOUND",
        );
      },
    },
    {
      claim: "an invitation into B, re-addressed to A's workspace, is not valid in A (and still valid in B)",
      check: async ({ server, a, b }) => {
        const stranger = await outsider(server);
        const invitation = await b.owner.api.members.invite.mutate({ email: stranger.owner.email, role: "EMPLOYEE" });
        const secret = invitation.token.slice(invitation.token.indexOf(".") + 1);
        const forged = `${a.workspaceId}.${secret}`;
        expect(await errorCodeOf(stranger.owner.api.auth.acceptInvitation.mutate({ token: forged }))).toBe("NOT_FOUND");
        expect(await errorCodeOf(server.client({ token: stranger.owner.token, workspaceId: a.workspaceId }).workspace.get.query())).toBe(
          "NOT_FOUND",
        );
        // Control: the untampered token works, into B.
        expect(await stranger.owner.api.auth.acceptInvitation.mutate({ token: invitation.token })).toEqual({ workspaceId: b.workspaceId });
      },
    },
  ],
};

/** An employee's entry with a PNG attached by its owner. */
async function attachedFile(company: StaffedCompany) {
  const entry = await company.make.entry();
  const meta = { id: randomUUID(), entryId: entry.id, name: "receipt.png" };
  await invokeUpload(company.people.EMPLOYEE.api, meta);
  return { id: meta.id, entryId: entry.id, sha256: createHash("sha256").update(pngFile()).digest("hex") };
}

function invokeUpload(api: ApiClient, meta: { id: string; entryId: string; name: string }) {
  return api.attachments.upload.mutate(new Blob([new Uint8Array(pngFile())]), { context: { attachment: encodeAttachmentHeader(meta) } });
}
