import { randomUUID } from "node:crypto";
import { hashPassword, type PasswordCost } from "../auth/password.js";
import type { Role } from "../contract/common.js";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant } from "../db/tenant.js";

export const DEMO_PASSWORD = "hoursync-demo";

interface DemoPerson {
  email: string;
  name: string;
  roles: Partial<Record<"acme" | "globex", Role>>;
}

const PEOPLE: DemoPerson[] = [
  { email: "owner@acme.test", name: "Olivia Owner", roles: { acme: "OWNER" } },
  { email: "admin@acme.test", name: "Adam Admin", roles: { acme: "ADMIN" } },
  { email: "manager@acme.test", name: "Mona Manager", roles: { acme: "MANAGER" } },
  { email: "employee@acme.test", name: "Eli Employee", roles: { acme: "EMPLOYEE" } },
  { email: "owner@globex.test", name: "Gus Owner", roles: { globex: "OWNER" } },
  { email: "admin@globex.test", name: "Gina Admin", roles: { globex: "ADMIN" } },
  { email: "manager@globex.test", name: "Max Manager", roles: { globex: "MANAGER" } },
  { email: "employee@globex.test", name: "Erin Employee", roles: { globex: "EMPLOYEE" } },
  { email: "sam@both.test", name: "Sam Both", roles: { acme: "EMPLOYEE", globex: "MANAGER" } },
];

const WORKSPACES = {
  acme: { name: "Acme Studio", clients: ["Northwind", "Contoso"], projects: ["Website relaunch", "Mobile app", "Brand refresh"] },
  globex: { name: "Globex Consulting", clients: ["Initech", "Umbrella"], projects: ["Audit 2026", "Data migration"] },
} as const;

const TAGS = ["meeting", "development", "review", "travel"];

export interface DemoSummary {
  workspaces: { key: string; id: string; name: string }[];
  logins: { email: string; roles: string }[];
  entries: number;
}

/** True when the database has no users yet (a fresh install). */
export async function isEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.user.count()) === 0;
}

/** Demo data: two companies, one login per role in each, one person in both, three weeks of time. */
export async function seedDemo(prisma: PrismaClient, cost: PasswordCost, now = new Date()): Promise<DemoSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD, cost);
  const userIds = new Map<string, string>();
  for (const p of PEOPLE) {
    const id = randomUUID();
    userIds.set(p.email, id);
    await prisma.user.create({ data: { id, email: p.email, name: p.name, passwordHash } });
  }
  const summary: DemoSummary = { workspaces: [], logins: [], entries: 0 };
  for (const [key, ws] of Object.entries(WORKSPACES) as [keyof typeof WORKSPACES, (typeof WORKSPACES)[keyof typeof WORKSPACES]][]) {
    const tenantId = randomUUID();
    summary.workspaces.push({ key, id: tenantId, name: ws.name });
    summary.entries += await withTenant(
      prisma,
      tenantId,
      async (db) => {
        await db.workspace.create({ data: { id: tenantId, name: ws.name, hourlyRateCents: 9000 } });
        const members = PEOPLE.filter((p) => p.roles[key]);
        for (const p of members) {
          await db.membership.create({
            data: { tenantId, id: randomUUID(), userId: userIds.get(p.email)!, role: p.roles[key]! },
          });
        }
        const clientIds = [];
        for (const name of ws.clients) {
          const c = await db.client.create({ data: { tenantId, id: randomUUID(), name } });
          clientIds.push(c.id);
        }
        const projectIds: string[] = [];
        for (const [i, name] of ws.projects.entries()) {
          const p = await db.project.create({
            data: { tenantId, id: randomUUID(), name, clientId: clientIds[i % clientIds.length]!, billable: i % 3 !== 2 },
          });
          projectIds.push(p.id);
          for (const task of ["Planning", "Implementation", "Support"]) {
            await db.task.create({ data: { tenantId, id: randomUUID(), projectId: p.id, name: task } });
          }
        }
        const tagIds: string[] = [];
        for (const name of TAGS) {
          const t = await db.tag.create({ data: { tenantId, id: randomUUID(), name } });
          tagIds.push(t.id);
        }
        return seedEntries(db, tenantId, members.map((p) => userIds.get(p.email)!), projectIds, tagIds, now);
      },
      { timeout: 120_000 },
    );
  }
  summary.logins = PEOPLE.map((p) => ({
    email: p.email,
    roles: Object.entries(p.roles).map(([k, r]) => `${r} in ${WORKSPACES[k as keyof typeof WORKSPACES].name}`).join(", "),
  }));
  return summary;
}

/** Weekday entries for the last three weeks: a morning and an afternoon block per person. */
async function seedEntries(
  db: Parameters<Parameters<typeof withTenant>[2]>[0],
  tenantId: string,
  userIds: string[],
  projectIds: string[],
  tagIds: string[],
  now: Date,
): Promise<number> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const rows = [];
  const tags = [];
  let n = 0;
  for (let day = 21; day >= 1; day--) {
    const date = new Date(today - day * 86_400_000);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    for (const [u, userId] of userIds.entries()) {
      for (const [startH, endH] of [[9, 12], [13, 17]] as const) {
        const id = randomUUID();
        const projectId = projectIds[(u + day + startH) % projectIds.length]!;
        rows.push({
          tenantId,
          id,
          userId,
          projectId,
          description: startH === 9 ? "Focused work" : "Meetings and follow-up",
          start: new Date(date.getTime() + startH * 3_600_000 + u * 300_000),
          end: new Date(date.getTime() + endH * 3_600_000),
          billable: (u + day) % 4 !== 0,
        });
        tags.push({ tenantId, entryId: id, tagId: tagIds[n % tagIds.length]! });
        n++;
      }
    }
  }
  await db.timeEntry.createMany({ data: rows });
  await db.timeEntryTag.createMany({ data: tags });
  return rows.length;
}
