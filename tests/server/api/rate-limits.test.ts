import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryBackend } from "../../../server/src/rate-limit/backend.js";
import { rawCall, rawErrorCode } from "../../support/api.js";
import { createCompany } from "../../support/people.js";
import { dropRedisKeys, readyRedisBackend, redisKeys, uniqueRedisPrefix } from "../../support/redis.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";
import { startSiblingServer } from "../../support/sibling.js";

/** The lowest per-minute limit workspace.update accepts. */
const LIMIT = 10;

/**
 * Calls until the first TOO_MANY_REQUESTS (or `max` calls); returns how many
 * succeeded before it. Any other error fails the test.
 */
async function callsBeforeLimit(call: () => Promise<unknown>, max = 4 * LIMIT): Promise<{ ok: number; limited: boolean }> {
  let ok = 0;
  for (let i = 0; i < max; i++) {
    const code = await errorCodeOf(call());
    if (code === "TOO_MANY_REQUESTS") return { ok, limited: true };
    if (code !== null) throw new Error(`expected success or TOO_MANY_REQUESTS, got ${code}`);
    ok++;
  }
  return { ok, limited: false };
}

/** The file's one database-backed server; the Redis variant runs as a second instance on it. */
let primary: TestServer;
beforeAll(async () => {
  primary = await startTestServer({ limiterBackend: memoryBackend() });
});
afterAll(async () => {
  await primary.close();
});

interface BackendCase {
  name: string;
  redis: boolean;
  /** A server whose rate limits use this backend. */
  start(prefix: string): Promise<TestServer>;
}

const backends: BackendCase[] = [
  { name: "memory", redis: false, start: async () => primary },
  { name: "redis", redis: true, start: async (prefix) => startSiblingServer(primary, await readyRedisBackend(prefix)) },
];

describe.each(backends)("$name limiter backend", ({ start, redis }) => {
  const prefix = uniqueRedisPrefix();
  let server: TestServer;
  beforeAll(async () => {
    server = await start(prefix);
  });
  afterAll(async () => {
    if (server !== primary) await server.close();
    if (redis) await dropRedisKeys(prefix);
  });

  async function limitedCompany(settings: { rateLimitPerMinute?: number; userRateLimitPerMinute?: number }) {
    const company = await createCompany(server);
    const employee = await company.hire("EMPLOYEE");
    const colleague = await company.hire("EMPLOYEE", "colleague");
    expect(await errorCodeOf(company.owner.api.workspace.update.mutate({ rateLimitPerMinute: LIMIT - 1 }))).toBe("BAD_REQUEST");
    const ws = await company.owner.api.workspace.update.mutate(settings);
    expect(ws).toMatchObject(settings);
    return { company, employee, colleague };
  }

  it("a workspace over its rateLimitPerMinute gets TOO_MANY_REQUESTS, 429 and Retry-After", async () => {
    const { company, employee } = await limitedCompany({ rateLimitPerMinute: LIMIT });
    const flood = await callsBeforeLimit(() => company.owner.api.projects.list.query({}));
    expect(flood.limited).toBe(true);
    expect(flood.ok).toBeGreaterThan(0);
    expect(flood.ok).toBeLessThanOrEqual(LIMIT);

    const err = await rejectionOf(company.owner.api.workspace.get.query());
    expect(err.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(err.data?.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.data?.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The budget is the workspace's: every member is out of it.
    expect(await errorCodeOf(employee.api.entries.list.query({}))).toBe("TOO_MANY_REQUESTS");

    const res = await rawCall(server.url, "workspace.get", { token: company.owner.token, workspaceId: company.workspaceId });
    expect(res.status).toBe(429);
    expect(rawErrorCode(res)).toBe("TOO_MANY_REQUESTS");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Calls without a workspace are not part of its budget.
    expect((await company.owner.api.auth.me.query()).id).toBe(company.owner.userId);
  });

  it("userRateLimitPerMinute stops one member while another member still gets through", async () => {
    const { company, employee, colleague } = await limitedCompany({ userRateLimitPerMinute: LIMIT });
    const flood = await callsBeforeLimit(() => employee.api.entries.list.query({}));
    expect(flood).toMatchObject({ limited: true });
    expect(flood.ok).toBe(LIMIT);
    const err = await rejectionOf(employee.api.projects.list.query({}));
    expect(err.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(err.data?.retryAfterSeconds).toBeGreaterThan(0);

    for (let i = 0; i < LIMIT - 1; i++) {
      expect(await errorCodeOf(colleague.api.entries.list.query({}))).toBeNull();
    }
    expect(await errorCodeOf(company.owner.api.workspace.get.query())).toBeNull();
  });

  it("a noisy tenant flooding past its limit does not spend its neighbour's budget", async () => {
    const quiet = await limitedCompany({ rateLimitPerMinute: LIMIT });
    const noisy = await limitedCompany({ rateLimitPerMinute: LIMIT });
    const flood = await callsBeforeLimit(() => noisy.company.owner.api.projects.list.query({}));
    expect(flood.limited).toBe(true);
    for (let i = 0; i < 3 * LIMIT; i++) await errorCodeOf(noisy.employee.api.entries.list.query({}));

    // The quiet tenant has spent at most four calls (two invitations, two settings calls): the rest is intact.
    for (let i = 0; i < LIMIT - 4; i++) {
      const who = i % 2 === 0 ? quiet.company.owner : quiet.employee;
      expect(await errorCodeOf(who.api.projects.list.query({})), `quiet call ${i + 1}`).toBeNull();
    }
    expect(await errorCodeOf(noisy.colleague.api.projects.list.query({}))).toBe("TOO_MANY_REQUESTS");
  });

  // Only Redis is shared between processes; a memory backend is per process by design.
  if (redis) it("counters live in Redis, so two server instances share one tenant budget", async () => {
    const sibling = await startSiblingServer(primary, await readyRedisBackend(prefix));
    try {
      const company = await createCompany(server);
      await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: LIMIT });
      const viaFirst = company.owner.api;
      const viaSecond = sibling.client({ token: company.owner.token, workspaceId: company.workspaceId });
      expect((await viaSecond.workspace.get.query()).id).toBe(company.workspaceId);

      // Two calls are spent (the settings call and the one above); alternating
      // between the instances gets exactly the rest. Separate budgets would allow about twice that.
      let turn = 0;
      const flood = await callsBeforeLimit(() => (turn++ % 2 === 0 ? viaFirst : viaSecond).projects.list.query({}));
      expect(flood).toEqual({ ok: LIMIT - 2, limited: true });
      expect(await errorCodeOf(viaFirst.workspace.get.query())).toBe("TOO_MANY_REQUESTS");
      expect(await errorCodeOf(viaSecond.workspace.get.query())).toBe("TOO_MANY_REQUESTS");
      expect((await redisKeys(prefix)).some((k) => k.includes(company.workspaceId))).toBe(true);
    } finally {
      await sibling.close();
    }
  });
});
