import { randomBytes, randomUUID } from "node:crypto";
import type { Role } from "../../server/src/contract/common.js";
import { createCompany, type Company, type Person } from "./people.js";
import type { ApiClient, TestServer } from "./server.js";

/** Budgets high enough that a long suite is never rate limited (the limits have their own tests). */
export const UNLIMITED = { rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 } as const;
export const UNLIMITED_ENV = { USER_RATE_LIMIT_PER_MINUTE: "100000" } as const;

export interface Staffer extends Person {
  role: Role;
  membershipId: string;
}

/**
 * A company with one person of every role, and a factory of objects inside it.
 * Every name it makes carries `marker`, so an answer that mentions this company
 * can be recognised anywhere.
 */
export interface StaffedCompany extends Company {
  name: string;
  marker: string;
  people: Record<Role, Staffer>;
  make: ObjectFactory;
  /** The server the company lives on (for cases that need a job run or the database). */
  server: TestServer;
}

export interface ObjectFactory {
  client(): Promise<{ id: string; name: string }>;
  /** A project of a new client. */
  project(): Promise<{ id: string; name: string; clientId: string }>;
  task(): Promise<{ id: string; name: string; projectId: string }>;
  tag(): Promise<{ id: string; name: string }>;
  /** A finished entry of `by` (the employee by default), optionally on a project, task and tags. */
  entry(opts?: { by?: Role; projectId?: string; taskId?: string; tagIds?: string[] }): Promise<Entry>;
  /** A running timer of `by`; any timer they had running is stopped first. */
  runningTimer(by?: Role): Promise<Entry>;
  /** A pending invitation. */
  invitation(): Promise<{ id: string; email: string }>;
  /** A new member with `role`, hired through a real invitation. */
  member(role?: Role): Promise<Staffer>;
  /** A project with the employee on it. */
  projectWithMember(): Promise<{ project: { id: string; name: string }; membershipId: string }>;
  /** A free, non-overlapping hour for a finished entry. */
  slot(): { start: Date; end: Date };
}

export interface Entry {
  id: string;
  userId: string;
  start: Date;
  description: string;
}

const SLOT_ORIGIN = Date.parse("2025-01-06T00:00:00Z");
const TIMER_ORIGIN = Date.parse("2090-01-01T00:00:00Z");
const HOUR = 3_600_000;

async function membershipIdOf(api: ApiClient, userId: string): Promise<string> {
  const members = await api.members.list.query();
  const found = members.find((m) => m.userId === userId);
  if (!found) throw new Error(`No membership for user ${userId}`);
  return found.id;
}

/** Signs up a company named `<label>-<marker>` and hires an admin, a manager and an employee into it. */
export async function staffCompany(server: TestServer, label: string): Promise<StaffedCompany> {
  const marker = `${label.toLowerCase()}${randomBytes(4).toString("hex")}`;
  const name = `${label}-${marker}`;
  const company = await createCompany(server, name);
  const owner = company.owner;
  await owner.api.workspace.update.mutate(UNLIMITED);
  const staffer = async (person: Person, role: Role): Promise<Staffer> => ({
    ...person,
    role,
    membershipId: await membershipIdOf(owner.api, person.userId),
  });
  const people: Record<Role, Staffer> = {
    OWNER: await staffer(owner, "OWNER"),
    ADMIN: await staffer(await company.hire("ADMIN", `${marker}-admin`), "ADMIN"),
    MANAGER: await staffer(await company.hire("MANAGER", `${marker}-manager`), "MANAGER"),
    EMPLOYEE: await staffer(await company.hire("EMPLOYEE", `${marker}-employee`), "EMPLOYEE"),
  };

  let made = 0;
  const named = (kind: string) => `${marker} ${kind} ${++made}`;
  let slots = 0;
  let timers = 0;
  const admin = people.ADMIN.api;

  const make: ObjectFactory = {
    slot() {
      const start = new Date(SLOT_ORIGIN + slots++ * HOUR);
      return { start, end: new Date(start.getTime() + HOUR / 2) };
    },
    client: async () => {
      const c = await admin.clients.create.mutate({ name: named("client") });
      return { id: c.id, name: c.name };
    },
    project: async () => {
      const client = await make.client();
      const p = await admin.projects.create.mutate({ name: named("project"), clientId: client.id });
      return { id: p.id, name: p.name, clientId: client.id };
    },
    task: async () => {
      const project = await make.project();
      const t = await admin.tasks.create.mutate({ projectId: project.id, name: named("task") });
      return { id: t.id, name: t.name, projectId: project.id };
    },
    tag: async () => {
      const t = await admin.tags.create.mutate({ name: named("tag") });
      return { id: t.id, name: t.name };
    },
    entry: async ({ by = "EMPLOYEE", projectId, taskId, tagIds } = {}) => {
      const e = await people[by].api.entries.create.mutate({
        ...make.slot(),
        description: named("entry"),
        projectId: projectId ?? null,
        taskId: taskId ?? null,
        tagIds: tagIds ?? [],
      });
      return { id: e.id, userId: e.userId, start: e.start, description: e.description };
    },
    runningTimer: async (by = "EMPLOYEE") => {
      const api = people[by].api;
      const running = await api.entries.running.query();
      if (running) await api.entries.stop.mutate({ end: new Date(running.start.getTime() + 1000) });
      const e = await api.entries.create.mutate({
        start: new Date(TIMER_ORIGIN + timers++ * 24 * HOUR),
        end: null,
        description: named("timer"),
      });
      return { id: e.id, userId: e.userId, start: e.start, description: e.description };
    },
    invitation: async () => {
      const email = `${marker}-invitee-${randomUUID()}@example.test`;
      const inv = await owner.api.members.invite.mutate({ email, role: "EMPLOYEE" });
      return { id: inv.invitationId, email };
    },
    member: async (role = "EMPLOYEE") =>
      staffer(await company.hire(role, `${marker}-${role.toLowerCase()}${++made}`), role),
    projectWithMember: async () => {
      const project = await make.project();
      const membershipId = people.EMPLOYEE.membershipId;
      await admin.projects.addMember.mutate({ projectId: project.id, membershipId });
      return { project, membershipId };
    },
  };

  return { ...company, name, marker, people, make, server };
}

/**
 * Everything a workspace's owner can read about it, to compare before and
 * after an attack. The audit log is kept apart: refusals are meant to add to it.
 */
export async function workspaceContents(api: ApiClient) {
  const big = { page: { limit: 500, cursor: 0 } };
  const [workspace, members, invitations, clients, projects, tasks, tags, entries, totals] = await Promise.all([
    api.workspace.get.query(),
    api.members.list.query(),
    api.members.invitations.query(),
    api.clients.list.query({ includeArchived: true, ...big }),
    api.projects.list.query({ includeArchived: true, ...big }),
    api.tasks.list.query({ includeDone: true, ...big }),
    api.tags.list.query(big),
    api.entries.list.query(big),
    api.projects.totals.query(),
  ]);
  return { workspace, members, invitations, clients, projects, tasks, tags, entries, totals };
}

export async function auditLogOf(api: ApiClient, action?: string) {
  return (await api.workspace.auditLog.query({ action, page: { limit: 500, cursor: 0 } })).items;
}
