import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memoryTenantCache } from "./tenant-cache.js";

describe("the in-process tenant cache", () => {
  it("stores what a miss computed and serves it", () => {
    const cache = memoryTenantCache();
    const tenant = randomUUID();
    expect(cache.get(tenant, "reports", "k")).toBeUndefined();
    cache.set(tenant, ["reports", "k"], { hours: 1 });
    expect(cache.get(tenant, "reports", "k")).toEqual({ hours: 1 });
  });

  it("does not store a value read before a drop of its tenant (a report racing a write's commit)", () => {
    const cache = memoryTenantCache();
    const tenant = randomUUID();
    const neighbour = randomUUID();
    expect(cache.get(tenant, "reports", "k")).toBeUndefined(); // the read begins
    expect(cache.get(neighbour, "reports", "k")).toBeUndefined();
    cache.invalidate(tenant, "reports"); // a write commits meanwhile
    cache.set(tenant, ["reports", "k"], { stale: true });
    cache.set(neighbour, ["reports", "k"], { hours: 5 });
    expect(cache.get(tenant, "reports", "k")).toBeUndefined();
    expect(cache.get(neighbour, "reports", "k")).toEqual({ hours: 5 }); // another tenant's drop changes nothing here
    // The next read sees the write, and its value is kept.
    cache.set(tenant, ["reports", "k"], { fresh: true });
    expect(cache.get(tenant, "reports", "k")).toEqual({ fresh: true });
  });

  it("an earlier read still computing is not made storable by a later miss", () => {
    const cache = memoryTenantCache();
    const tenant = randomUUID();
    expect(cache.get(tenant, "reports", "k")).toBeUndefined(); // read 1 begins
    cache.invalidate(tenant, "reports");
    expect(cache.get(tenant, "reports", "k")).toBeUndefined(); // read 2 begins after the drop
    cache.set(tenant, ["reports", "k"], { stale: true }); // read 1 ends first
    expect(cache.get(tenant, "reports", "k")).toBeUndefined();
  });

  it("stores nothing that no miss asked for, and a dropped workspace leaves no trace", () => {
    const cache = memoryTenantCache();
    const tenant = randomUUID();
    cache.set(tenant, ["reports", "k"], { unasked: true });
    expect(cache.holds(tenant)).toBe(false);
    expect(cache.get(tenant, "project-totals")).toBeUndefined();
    expect(cache.holds(tenant)).toBe(true); // the note of a read in flight
    cache.invalidate(tenant);
    expect(cache.holds(tenant)).toBe(false);
    cache.set(tenant, ["project-totals"], [{ late: true }]);
    expect(cache.holds(tenant)).toBe(false);
  });

  it("clear drops values and makes reads in flight unstorable", () => {
    const cache = memoryTenantCache();
    const tenant = randomUUID();
    cache.get(tenant, "reports", "a");
    cache.set(tenant, ["reports", "a"], 1);
    cache.get(tenant, "reports", "b");
    cache.clear();
    cache.set(tenant, ["reports", "b"], 2);
    expect(cache.get(tenant, "reports", "a")).toBeUndefined();
    expect(cache.get(tenant, "reports", "b")).toBeUndefined();
  });
});
