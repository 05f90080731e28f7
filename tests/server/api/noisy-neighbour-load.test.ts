import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { MixPerson } from "../../../bench/load/mix.js";
import { Recorder } from "../../../bench/load/recorder.js";
import type { LoadWorkspace } from "../../../bench/load/seed.js";
import { createCompany, type Company } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { UNLIMITED_ENV } from "../../support/staffed-company.js";

/**
 * The short form of `npm run bench:load`'s noisy neighbour, for CI: one
 * workspace sends 20 times its request limit while three others run the
 * benchmark's own mix (entries, timer, sync push/pull, timesheets, reports)
 * against the same server. Behaviour only, no timing: the flooder is
 * refused with 429 and Retry-After, the others see no error at all, and the
 * flood's repeats cost no tenant transaction.
 */
const FLOOD_LIMIT = 20;
const FLOOD_FACTOR = 20;
const CALLS_PER_PERSON = 8;

let server: TestServer;
let flooder: Company;
const others: LoadWorkspace[] = [];

async function loadWorkspace(c: Company): Promise<LoadWorkspace> {
  const employee = await c.hire("EMPLOYEE");
  const projectIds = [(await c.owner.api.projects.create.mutate({ name: "Load" })).id, (await c.owner.api.projects.create.mutate({ name: "Other" })).id];
  return {
    id: c.workspaceId,
    projectIds,
    users: [
      { userId: c.owner.userId, token: c.owner.token, role: "OWNER" },
      { userId: employee.userId, token: employee.token, role: "EMPLOYEE" },
    ],
  };
}

beforeAll(async () => {
  server = await startTestServer({ env: { ...UNLIMITED_ENV } });
  flooder = await createCompany(server, "Flooder");
  await flooder.owner.api.workspace.update.mutate({ rateLimitPerMinute: FLOOD_LIMIT, userRateLimitPerMinute: FLOOD_LIMIT });
  for (const name of ["Quiet A", "Quiet B", "Quiet C"]) others.push(await loadWorkspace(await createCompany(server, name)));
}, 120_000);
afterAll(async () => {
  await server.close();
});

/** A workspace's owner (the flooder's by default) listing entries over plain HTTP, `width` at a time: status and Retry-After of each answer. */
async function flood(calls: number, width: number, who: Company = flooder): Promise<{ status: number; retryAfter: string | null }[]> {
  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  const answers: { status: number; retryAfter: string | null }[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (sent < calls) {
        sent++;
        const res = await fetch(`${server.url}/trpc/entries.list?input=${input}`, {
          headers: { authorization: `Bearer ${who.owner.token}`, [WORKSPACE_HEADER]: who.workspaceId },
        });
        await res.arrayBuffer();
        answers.push({ status: res.status, retryAfter: res.headers.get("retry-after") });
      }
    }),
  );
  return answers;
}

describe("noisy neighbour, short form", () => {
  it(
    "a workspace at 20x its limit is refused with Retry-After while the others' mix sees no error",
    async () => {
      const rec = new Recorder();
      const people = others.flatMap((ws) => ws.users.map((u) => new MixPerson(server.url, u, ws)));
      for (const p of people) await p.warmUp();
      const mix = Promise.all(
        people.map(async (p) => {
          for (let i = 0; i < CALLS_PER_PERSON; i++) await p.act(rec);
        }),
      );
      const [answers] = await Promise.all([flood(FLOOD_FACTOR * FLOOD_LIMIT, 8), mix]);

      const refused = answers.filter((a) => a.status === 429);
      const answered = answers.filter((a) => a.status === 200);
      expect(refused.length + answered.length).toBe(answers.length);
      expect(answered.length).toBeLessThanOrEqual(FLOOD_LIMIT);
      expect(refused.length).toBeGreaterThanOrEqual(answers.length - FLOOD_LIMIT);
      for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);

      const all = rec.overall();
      expect(all.errors).toEqual({});
      expect(all.calls).toBeGreaterThanOrEqual(people.length * CALLS_PER_PERSON);
    },
    60_000,
  );

  it("a refused member's repeats open no tenant transaction while the wait lasts", async () => {
    // A workspace of its own, so its budget's minute starts now and outlasts the test.
    const noisy = await createCompany(server, "Noisy");
    await noisy.owner.api.workspace.update.mutate({ rateLimitPerMinute: 10, userRateLimitPerMinute: 10 });
    const answers = await flood(12, 1, noisy);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(10);
    expect(answers.at(-1)!.status).toBe(429);
    const tenantTransactions = () => server.statements.filter((s) => s.includes("app.tenant_id")).length;
    const before = tenantTransactions();
    const repeats = await flood(20, 4, noisy);
    expect(repeats.every((a) => a.status === 429 && Number(a.retryAfter) >= 1)).toBe(true);
    expect(tenantTransactions()).toBe(before);
  });
});
