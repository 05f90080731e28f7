/**
 * The one way to name anything shared between tenants' requests (cache
 * entries, rate-limit counters): the tenant always comes first, so a key
 * can never address another tenant's data.
 */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error("tenantKey needs a tenant id");
  return ["t", tenantId, ...parts].join(":");
}

/** The prefix under which all of a tenant's keys (optionally of one kind) live. */
export function tenantPrefix(tenantId: string, ...parts: string[]): string {
  return `${tenantKey(tenantId, ...parts)}:`;
}
