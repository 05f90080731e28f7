/**
 * The cross-tenant matrix: every procedure of the router, read at test time,
 * is either tenant-less (and checked for what it does with a foreign
 * workspace) or has cases in cases.ts that company B runs against company A.
 */
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANTLESS_PROCEDURES } from "../../../server/src/routers/index.js";
import { deniedTally } from "../../support/denials.js";
import { createCompany } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  auditLogOf,
  staffCompany,
  UNLIMITED_ENV,
  workspaceContents,
  type StaffedCompany,
} from "../../support/staffed-company.js";
import { ISOLATION_CASES, TENANTLESS_CLAIMS, type AttackOutcome, type IsolationCase } from "./cases.js";
import { allProcedures, invoke, runsInTenant } from "./procedures.js";

let server: TestServer;
let a: StaffedCompany;
let b: StaffedCompany;

beforeAll(async () => {
  server = await startTestServer({ env: UNLIMITED_ENV });
  a = await staffCompany(server, "Acme");
  b = await staffCompany(server, "Bolt");
});
afterAll(async () => {
  await server?.close();
});

const procedures = allProcedures();
const tenantless = new Set<string>(TENANTLESS_PROCEDURES);
const tenantProcedures = procedures.filter((p) => !tenantless.has(p));

type Settled = { ok: true; value: unknown } | { ok: false; code: string; message: string };

async function settle(call: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const code = (err.data as { code?: string } | undefined)?.code ?? "UNKNOWN";
    return { ok: false, code, message: err.message };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every string that would betray A: its id, its marker (in all its names), its people, and the ids in `known`. */
function tracesOf(company: StaffedCompany, known: unknown): string[] {
  const traces = new Set([company.workspaceId, company.marker]);
  for (const person of Object.values(company.people)) traces.add(person.userId).add(person.membershipId);
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      if (UUID.test(value) || value.includes(company.marker)) traces.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === "object" && !(value instanceof Date)) {
      Object.values(value).forEach(walk);
    }
  };
  walk(known);
  return [...traces];
}

/** The traces of A in `text`, other than those the caller sent themselves. */
function leaksIn(text: string, traces: string[], sent: unknown): string[] {
  const sentText = JSON.stringify(sent ?? null);
  return traces.filter((t) => text.includes(t) && !sentText.includes(t));
}

function expectAttackOutcome(expected: AttackOutcome, got: Settled, traces: string[], sent: unknown) {
  if (expected === "NOTHING_OF_A") {
    if (!got.ok) throw new Error(`B's call should have been answered, but failed with ${got.code}: ${got.message}`);
    expect(leaksIn(JSON.stringify(got.value), traces, sent), "traces of A in B's answer").toEqual([]);
    return;
  }
  const code = expected === "NOT_FOUND" ? "NOT_FOUND" : expected.refused;
  expect(got, "B's call").toMatchObject({ ok: false, code });
  expect(leaksIn(got.ok ? "" : got.message, traces, sent), "traces of A in the refusal").toEqual([]);
}

async function companiesFor(c: IsolationCase): Promise<[StaffedCompany, StaffedCompany]> {
  if (!c.freshCompanies) return [a, b];
  return [await staffCompany(server, "Acme"), await staffCompany(server, "Bolt")];
}

/** Everything A's owner can read, including the audit log and the case's extra read. */
async function everythingOf(company: StaffedCompany, c: IsolationCase, target: unknown) {
  return {
    contents: await workspaceContents(company.owner.api),
    auditLog: await auditLogOf(company.owner.api),
    extra: await c.alsoRead?.(company.owner.api, target),
  };
}

async function attackThenControl(c: IsolationCase) {
  const [A, B] = await companiesFor(c);
  const target = await c.arrange?.(A);
  const own = await c.arrange?.(B);
  const before = await everythingOf(A, c, target);

  const attackInput = c.input(target, own);
  const attack = await settle(invoke(B.people[c.as].api, c.procedure, attackInput));
  // A's traces: the case's objects and every id in A's contents (not its audit log, which names B's intruders).
  expectAttackOutcome(c.expect, attack, tracesOf(A, { target, contents: before.contents }), attackInput);
  expect(await everythingOf(A, c, target), "A's data after B's attempt").toEqual(before);

  const control = await settle(invoke(A.people[c.as].api, c.procedure, c.input(target, target)));
  if (!control.ok) throw new Error(`The control (A's ${c.as} in A) failed with ${control.code}: ${control.message}`);
  const shown = c.shows?.(target, A) ?? [];
  const controlText = JSON.stringify(control.value);
  for (const s of shown) expect(controlText, "A's own answer").toContain(s);
  if (attack.ok) for (const s of shown) expect(JSON.stringify(attack.value), "B's answer").not.toContain(s);
}

async function namingForeignWorkspace(c: IsolationCase) {
  const target = await c.arrange?.(a);
  const intruder = b.people[c.as];
  const before = await workspaceContents(a.owner.api);
  const deniedBefore = await deniedTally(a.owner.api, intruder.userId);

  const api = server.client({ token: intruder.token, workspaceId: a.workspaceId });
  const got = await settle(invoke(api, c.procedure, c.input(target, target)));
  expect(got, "B's call naming A's workspace").toMatchObject({ ok: false, code: "NOT_FOUND" });

  expect(await workspaceContents(a.owner.api), "A's data afterwards").toEqual(before);
  // Counted in A's log: one more refusal of this intruder, on this procedure.
  const denied = await deniedTally(a.owner.api, intruder.userId);
  expect(denied.count - deniedBefore.count, "new access.denied attempts in A's audit log").toBe(1);
  expect((denied.procedures[c.procedure] ?? 0) - (deniedBefore.procedures[c.procedure] ?? 0)).toBe(1);
  expect(denied.reasons).toEqual(["not a member"]);
}

describe("the matrix covers the router", () => {
  it("has a case for every tenant procedure, and no case for a procedure that no longer exists", () => {
    const withCases = new Set(ISOLATION_CASES.map((c) => c.procedure as string));
    const withoutCase = tenantProcedures.filter((p) => !withCases.has(p));
    const stale = [...withCases].filter((p) => !procedures.includes(p) || tenantless.has(p));
    expect({ withoutCase, stale }).toEqual({ withoutCase: [], stale: [] });
  });

  it("has claims for exactly the tenant-less procedures", () => {
    expect(Object.keys(TENANTLESS_CLAIMS).sort()).toEqual([...TENANTLESS_PROCEDURES].sort());
  });

  it("TENANTLESS_PROCEDURES is exactly the set of procedures that never enter a tenant", () => {
    expect(procedures.filter((p) => !runsInTenant(p))).toEqual([...TENANTLESS_PROCEDURES].sort());
  });

  it("every tenant procedure refuses a request that names no workspace", async () => {
    const api = server.client({ token: b.owner.token });
    const answers: Record<string, string> = {};
    for (const path of tenantProcedures) {
      const got = await settle(invoke(api, path, undefined));
      answers[path] = got.ok ? "answered" : /workspace/i.test(got.message) ? got.code : `${got.code}: ${got.message}`;
    }
    expect(answers).toEqual(Object.fromEntries(tenantProcedures.map((p) => [p, "BAD_REQUEST"])));
  });
});

describe("tenant procedures: B against A", () => {
  for (const path of tenantProcedures) {
    describe(path, () => {
      const cases = ISOLATION_CASES.filter((c) => c.procedure === path);
      if (cases.length === 0) {
        it("has a case in cases.ts", () => {
          expect.fail(`${path} has no isolation case: add one to tests/server/isolation/cases.ts`);
        });
        return;
      }
      for (const c of cases) {
        it(`${c.attack}: ${typeof c.expect === "string" ? c.expect : c.expect.refused}, A unchanged, A's own call succeeds`, () =>
          attackThenControl(c));
      }
      it(`B's ${cases[0]!.as.toLowerCase()} naming A's workspace gets NOT_FOUND, recorded in A's audit log`, () =>
        namingForeignWorkspace(cases[0]!));
    });
  }
});

describe("tenant-less procedures and a foreign workspace", () => {
  for (const path of TENANTLESS_PROCEDURES) {
    describe(path, () => {
      for (const { claim, check } of TENANTLESS_CLAIMS[path]) {
        it(claim, () => check({ server, a, b }));
      }
    });
  }
});

describe("ids belong to a workspace", () => {
  it("B may reuse the ids of A's objects: no conflict reveals A's rows, and A's rows stay as they were", async () => {
    const first = await createCompany(server, "First");
    const second = await createCompany(server, "Second");
    const ownerA = first.owner.api;
    const ownerB = second.owner.api;
    const slot = { start: new Date("2025-03-03T09:00:00Z"), end: new Date("2025-03-03T10:00:00Z") };
    const client = await ownerA.clients.create.mutate({ name: "A client" });
    const project = await ownerA.projects.create.mutate({ name: "A project", clientId: client.id });
    const task = await ownerA.tasks.create.mutate({ projectId: project.id, name: "A task" });
    const tag = await ownerA.tags.create.mutate({ name: "A tag" });
    const entry = await ownerA.entries.create.mutate({ ...slot, projectId: project.id, taskId: task.id, tagIds: [tag.id] });
    const before = await workspaceContents(ownerA);

    const reused = [
      await ownerB.clients.create.mutate({ id: client.id, name: "B client" }),
      await ownerB.projects.create.mutate({ id: project.id, name: "B project", clientId: client.id }),
      await ownerB.tasks.create.mutate({ id: task.id, projectId: project.id, name: "B task" }),
      await ownerB.tags.create.mutate({ id: tag.id, name: "B tag" }),
      await ownerB.entries.create.mutate({ id: entry.id, ...slot, projectId: project.id, taskId: task.id, tagIds: [tag.id] }),
    ];
    for (const row of reused) expect(row.tenantId).toBe(second.workspaceId);

    expect(await workspaceContents(ownerA)).toEqual(before);
    expect(await ownerA.projects.get.query({ id: project.id })).toMatchObject({ tenantId: first.workspaceId, name: "A project" });
    expect(await ownerB.projects.get.query({ id: project.id })).toMatchObject({ tenantId: second.workspaceId, name: "B project" });
  });
});
