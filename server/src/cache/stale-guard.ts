import { LRUCache } from "lru-cache";
import { tenantPrefix } from "./keys.js";

/**
 * Keeps a cache from storing a value read before a drop of its tenant: a
 * report that began before a write committed, and finishes after the write
 * dropped the cache, would otherwise be served for the whole TTL. A miss
 * notes the time (a logical clock of drops); a store is allowed only if no
 * drop of the tenant came after that note.
 */
export interface StaleGuard {
  /** A read of `key` missed and is about to compute its value. */
  missed(key: string): void;
  /** Whether the value computed since the miss of `key` may be stored (the note is used up). */
  storable(tenantId: string, key: string): boolean;
  /** The tenant's entries under `name` were dropped (all of them for an empty name). */
  dropped(tenantId: string, name: string[]): void;
  /** Everything was dropped. */
  droppedAll(): void;
  /** Whether a note of the tenant is kept (a deleted workspace must leave nothing). */
  holds(tenantId: string): boolean;
}

export function staleGuard(max = 10_000): StaleGuard {
  let clock = 0;
  let floor = 0;
  const droppedAt = new LRUCache<string, number>({
    max,
    // A forgotten tenant counts as dropped when it was forgotten (never as never dropped).
    dispose: (at, _tenant, reason) => {
      if (reason === "evict") floor = Math.max(floor, at);
    },
  });
  // A miss whose value never comes (its read failed) is forgotten after a minute; a later value finding no note is not stored.
  const missedAt = new LRUCache<string, number>({ max, ttl: 60_000 });
  const lastDrop = (tenantId: string) => Math.max(floor, droppedAt.get(tenantId) ?? 0);

  return {
    missed(key) {
      // The oldest miss still computing counts: a later miss must not make an earlier stale read storable.
      if (!missedAt.has(key)) missedAt.set(key, clock);
    },
    storable(tenantId, key) {
      const since = missedAt.get(key);
      missedAt.delete(key);
      return since !== undefined && lastDrop(tenantId) <= since;
    },
    dropped(tenantId, name) {
      if (name.length > 0) {
        droppedAt.set(tenantId, ++clock);
        return;
      }
      // The whole tenant (its workspace may be gone): no key of it may stay, not even a note.
      droppedAt.delete(tenantId);
      floor = ++clock;
      const prefix = tenantPrefix(tenantId);
      for (const key of missedAt.keys()) if (key.startsWith(prefix)) missedAt.delete(key);
    },
    droppedAll() {
      missedAt.clear();
      droppedAt.clear();
      floor = ++clock;
    },
    holds(tenantId) {
      const prefix = tenantPrefix(tenantId);
      for (const key of missedAt.keys()) if (key.startsWith(prefix)) return true;
      return false;
    },
  };
}
