import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { sharedTenantCache, type SharedTenantCache } from "./shared-tenant-cache.js";

/** The local Redis (real; override with TEST_REDIS_URL). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const opened: SharedTenantCache[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Two processes' caches on one Redis channel (a prefix no other run uses), both subscribed. */
async function twoProcesses(redisUrl = REDIS_URL) {
  const prefix = `hs-test-cache-${randomUUID()}`;
  const a = sharedTenantCache({ redisUrl, prefix });
  const b = sharedTenantCache({ redisUrl, prefix });
  opened.push(a, b);
  await until("both subscribed", () => a.live && b.live);
  return { a, b, prefix };
}

/** What a reader does: a miss, then the value it computed. */
function fill(cache: SharedTenantCache, tenantId: string, name: string[], value: unknown) {
  expect(cache.get(tenantId, ...name)).toBeUndefined();
  cache.set(tenantId, name, value);
}

describe("shared tenant cache (real Redis)", () => {
  it("an entry change in one process drops the cached report in the other, and only that tenant's", async () => {
    const { a, b } = await twoProcesses();
    const tenant = randomUUID();
    const neighbour = randomUUID();
    fill(a, tenant, ["reports", "k1"], { hours: 1 });
    fill(a, neighbour, ["reports", "k1"], { hours: 5 });
    expect(a.get(tenant, "reports", "k1")).toEqual({ hours: 1 });

    await b.invalidate(tenant, "reports");
    await until("the drop reached A", () => a.get(tenant, "reports", "k1") === undefined);
    expect(a.get(neighbour, "reports", "k1")).toEqual({ hours: 5 });
  });

  it("a deleted workspace leaves nothing in any process", async () => {
    const { a, b } = await twoProcesses();
    const tenant = randomUUID();
    fill(a, tenant, ["project-totals"], [1]);
    expect(a.get(tenant, "reports", "pending")).toBeUndefined(); // a read still computing
    expect(a.holds(tenant)).toBe(true);
    await b.invalidate(tenant);
    await until("A holds nothing of the tenant", () => !a.holds(tenant));
    expect(b.holds(tenant)).toBe(false);
  });

  it("a report read that began before another process's invalidation is not stored", async () => {
    const { a, b } = await twoProcesses();
    const tenant = randomUUID();
    fill(a, tenant, ["project-totals"], [1]);
    // A starts computing a report (its database read sees the old entries)...
    expect(a.get(tenant, "reports", "k")).toBeUndefined();
    // ...B commits an entry change and drops the tenant's figures...
    await b.invalidate(tenant, "project-totals");
    await until("the drop reached A", () => a.get(tenant, "project-totals") === undefined);
    // ...then A's stale result arrives: not kept.
    a.set(tenant, ["reports", "k"], { stale: true });
    expect(a.get(tenant, "reports", "k")).toBeUndefined();
    // A read that began after the drop is kept.
    a.set(tenant, ["reports", "k"], { fresh: true });
    expect(a.get(tenant, "reports", "k")).toEqual({ fresh: true });
  });

  it("serves nothing while Redis cannot be reached (nothing listens on the port: no Redis to mock)", async () => {
    const cache = sharedTenantCache({ redisUrl: "redis://127.0.0.1:1", prefix: `hs-test-cache-${randomUUID()}` });
    opened.push(cache);
    const tenant = randomUUID();
    fill(cache, tenant, ["reports", "k"], { hours: 1 });
    expect(cache.live).toBe(false);
    expect(cache.get(tenant, "reports", "k")).toBeUndefined();
    expect(cache.holds(tenant)).toBe(false);
    // An invalidation while down does not fail the write that made it.
    await expect(cache.invalidate(tenant, "reports")).resolves.toBeUndefined();
  });

  it("drops its entries when its subscription is cut, serves nothing until it is back, then caches again", async () => {
    const { a, prefix } = await twoProcesses();
    const tenant = randomUUID();
    fill(a, tenant, ["reports", "k"], { hours: 1 });
    const admin = new Redis(REDIS_URL);
    try {
      const clients = (await admin.client("LIST")) as string;
      const line = clients.split("\n").find((l) => l.includes(`name=${prefix}:cache-sub:`));
      const id = /id=(\d+)/.exec(line ?? "")?.[1];
      expect(id).toBeDefined();
      await admin.client("KILL", "ID", id!);
    } finally {
      admin.disconnect();
    }
    await until("A noticed", () => !a.live, 2_000);
    expect(a.get(tenant, "reports", "k")).toBeUndefined();
    await until("A resubscribed", () => a.live);
    // Invalidations may have been missed while it was cut off: what it held is gone.
    expect(a.get(tenant, "reports", "k")).toBeUndefined();
    a.set(tenant, ["reports", "k"], { hours: 2 });
    expect(a.get(tenant, "reports", "k")).toEqual({ hours: 2 });
  });
});
