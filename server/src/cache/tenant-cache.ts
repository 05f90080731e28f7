import { LRUCache } from "lru-cache";
import { tenantKey, tenantPrefix } from "./keys.js";
import { staleGuard } from "./stale-guard.js";

/**
 * A cache whose every key belongs to one tenant. Callers pass the tenant and
 * a name; they never build key strings themselves.
 */
export interface TenantCache {
  get<T>(tenantId: string, ...name: string[]): T | undefined;
  set<T>(tenantId: string, name: string[], value: T): void;
  /**
   * Drops every entry of the tenant under `name` (or all of the tenant's entries). Settles
   * once every process sharing the cache has been told (at once for a process-local cache).
   */
  invalidate(tenantId: string, ...name: string[]): void | Promise<void>;
  /** Whether anything of the tenant is cached (a deleted workspace must leave nothing). */
  holds(tenantId: string): boolean;
  /** How the cache has been used: hits and misses since start (for tests and metrics). */
  stats(): { hits: number; misses: number; size: number };
}

/** The in-process cache; `clear()` empties it (a shared cache does so when it may have missed an invalidation). */
export interface MemoryTenantCache extends TenantCache {
  invalidate(tenantId: string, ...name: string[]): void;
  clear(): void;
}

/**
 * The in-process cache. A value is stored only if no drop of its tenant came between the read's
 * miss and its store (`stale-guard.ts`): a figure read before a write committed is never served
 * after the write dropped the cache.
 */
export function memoryTenantCache(opts: { max?: number; ttlMs?: number } = {}): MemoryTenantCache {
  const lru = new LRUCache<string, { v: unknown }>({ max: opts.max ?? 10_000, ttl: opts.ttlMs ?? 5 * 60_000 });
  const guard = staleGuard(opts.max ?? 10_000);
  let hits = 0;
  let misses = 0;
  return {
    get<T>(tenantId: string, ...name: string[]) {
      const key = tenantKey(tenantId, ...name);
      const found = lru.get(key);
      if (found) {
        hits++;
        return found.v as T;
      }
      misses++;
      guard.missed(key);
      return undefined;
    },
    set(tenantId, name, value) {
      const key = tenantKey(tenantId, ...name);
      if (guard.storable(tenantId, key)) lru.set(key, { v: value });
    },
    invalidate(tenantId, ...name) {
      guard.dropped(tenantId, name);
      const exact = tenantKey(tenantId, ...name);
      const prefix = tenantPrefix(tenantId, ...name);
      for (const key of lru.keys()) {
        if (key === exact || key.startsWith(prefix)) lru.delete(key);
      }
    },
    holds(tenantId) {
      if (guard.holds(tenantId)) return true;
      const prefix = tenantPrefix(tenantId);
      for (const key of lru.keys()) if (key.startsWith(prefix)) return true;
      return false;
    },
    clear() {
      guard.droppedAll();
      lru.clear();
    },
    stats: () => ({ hits, misses, size: lru.size }),
  };
}
