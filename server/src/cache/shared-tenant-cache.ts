import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { invalidationMessage, type Invalidation } from "./invalidation-message.js";
import { memoryTenantCache, type TenantCache } from "./tenant-cache.js";

export interface SharedTenantCache extends TenantCache {
  invalidate(tenantId: string, ...name: string[]): Promise<void>;
  /** Whether the cache serves values: only while it hears the other processes' invalidations. */
  readonly live: boolean;
  close(): void;
}

export interface SharedTenantCacheOptions {
  redisUrl: string;
  /** The deployment's Redis key prefix; the channel is `<prefix>:cache-invalidations`. */
  prefix: string;
  max?: number;
  ttlMs?: number;
  log?: (level: "info" | "warn", msg: string, extra?: Record<string, unknown>) => void;
}

/** Invalidations kept for a publisher that is down; beyond, one "drop everything" is sent instead. */
const MAX_UNSENT = 10_000;

/**
 * The tenant cache of a deployment with several server processes: each
 * process keeps its own LRU, and every invalidation is published on a Redis
 * channel that every process applies (its own messages it skips). A stale
 * figure served by one process after another changed the data is the bug
 * this exists to prevent, so when in doubt it does not serve:
 *
 * - Only while the subscription is up: when it drops, the local entries go
 *   (invalidations may be missed meanwhile) and nothing is served or stored
 *   until it is back.
 * - A value computed from a read that started before an invalidation of its
 *   tenant (here or elsewhere) is not stored: `get` notes when it missed,
 *   `set` compares with the tenant's last drop.
 * - `invalidate` settles once Redis has handed the message to every
 *   subscriber, so a write answers after the other processes were told.
 *   Invalidations that cannot be published wait and go out on reconnect.
 */
export function sharedTenantCache(opts: SharedTenantCacheOptions): SharedTenantCache {
  const local = memoryTenantCache({ max: opts.max, ttlMs: opts.ttlMs });
  const channel = `${opts.prefix}:cache-invalidations`;
  const me = randomUUID();
  const log = opts.log ?? (() => {});
  const sub = new Redis(opts.redisUrl, { connectionName: `${opts.prefix}:cache-sub:${me}`, maxRetriesPerRequest: null });
  const pub = new Redis(opts.redisUrl, { connectionName: `${opts.prefix}:cache-pub:${me}`, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let live = false;
  let closed = false;
  let hits = 0;
  let misses = 0;

  // The local cache keeps what was read before a drop from being stored (its stale guard); a
  // drop heard from another process goes through it like one made here.

  const unsent = new Map<string, Invalidation>();
  let unsentOverflow = false;

  async function publish(message: Invalidation): Promise<void> {
    if (pub.status === "ready") {
      try {
        await pub.publish(channel, JSON.stringify(message));
        return;
      } catch {
        // kept below, sent when the connection is back
      }
    }
    if (unsentOverflow) return;
    if (unsent.size >= MAX_UNSENT) {
      unsent.clear();
      unsentOverflow = true;
      return;
    }
    unsent.set(JSON.stringify(message), message);
  }

  async function flushUnsent() {
    const waiting: Invalidation[] = unsentOverflow ? [{ from: me, all: true }] : [...unsent.values()];
    unsent.clear();
    unsentOverflow = false;
    for (const m of waiting) await publish(m);
    if (waiting.length) log("info", "cache invalidations sent after Redis came back", { count: waiting.length });
  }

  function goDark(why: string) {
    if (live) log("warn", "cache off: the invalidation channel is down", { why });
    live = false;
    local.clear();
  }

  sub.on("message", (ch: string, raw: string) => {
    if (ch !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    const msg = invalidationMessage.safeParse(parsed);
    if (!msg.success || msg.data.from === me) return;
    if ("all" in msg.data) local.clear();
    else local.invalidate(msg.data.tenantId, ...msg.data.name);
  });
  sub.on("ready", () => {
    sub.subscribe(channel).then(
      () => {
        if (closed || sub.status !== "ready") return;
        // Whatever was missed while down was dropped with everything else when it went down.
        if (!live) log("info", "cache on: the invalidation channel is up");
        live = true;
      },
      (err: unknown) => goDark(String(err)),
    );
  });
  sub.on("close", () => goDark("connection closed"));
  sub.on("error", () => {}); // ioredis reconnects by itself; "close" turned the cache off
  pub.on("error", () => {});
  pub.on("ready", () => void flushUnsent());

  return {
    get live() {
      return live;
    },
    get<T>(tenantId: string, ...name: string[]) {
      // Not live: nothing served, and no miss noted, so nothing computed meanwhile is stored.
      const found = live ? local.get<T>(tenantId, ...name) : undefined;
      if (found !== undefined) hits++;
      else misses++;
      return found;
    },
    set(tenantId, name, value) {
      if (live) local.set(tenantId, name, value);
    },
    async invalidate(tenantId, ...name) {
      local.invalidate(tenantId, ...name);
      await publish({ from: me, tenantId, name });
    },
    holds: (tenantId) => local.holds(tenantId),
    stats: () => ({ hits, misses, size: local.stats().size }),
    close() {
      closed = true;
      live = false;
      sub.disconnect();
      pub.disconnect();
      local.clear();
    },
  };
}
