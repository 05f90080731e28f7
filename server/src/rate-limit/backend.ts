import { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

export interface LimiterSpec {
  /** Distinguishes limiters that share a backend. */
  name: string;
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

/**
 * Where counters live: process memory by default, Redis when REDIS_URL is set
 * (shared by every server process; memory takes over while Redis is down).
 */
export interface LimiterBackend {
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  /**
   * Removes every counter whose key contains `keyPart`, in every limiter,
   * including those another process made (Redis); returns how many went.
   */
  forget(keyPart: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * rate-limiter-flexible's memory store expires keys with setTimeout, which
 * fires at once for anything beyond 2^31 ms (24.8 days): longer windows are
 * cut to 24 days in memory (Redis keeps them whole).
 */
const MEMORY_MAX_SECONDS = 24 * 86_400;
const inMemory = (seconds: number) => Math.min(seconds, MEMORY_MAX_SECONDS);

export function memoryBackend(): LimiterBackend {
  const made = new Map<string, RateLimiterAbstract>();
  return {
    limiter(spec) {
      const key = specKey(spec);
      let l = made.get(key);
      if (!l) {
        l = new RateLimiterMemory({
          keyPrefix: spec.name,
          points: spec.points,
          duration: inMemory(spec.durationSeconds),
          blockDuration: inMemory(spec.blockSeconds ?? 0),
        });
        made.set(key, l);
      }
      return l;
    },
    forget: async (keyPart) => forgetInMemory(made.values(), keyPart),
    close: async () => {},
  };
}

export function redisBackend(url: string, prefix = "hoursync"): LimiterBackend {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on("error", () => {}); // the insurance limiter covers outages; ioredis reconnects by itself
  const made = new Map<string, RateLimiterAbstract>();
  const insurance = new Map<string, RateLimiterMemory>();
  return {
    limiter(spec) {
      const key = specKey(spec);
      let l = made.get(key);
      if (!l) {
        const fallback = new RateLimiterMemory({
          keyPrefix: `${spec.name}:insurance`,
          points: spec.points,
          duration: inMemory(spec.durationSeconds),
          blockDuration: inMemory(spec.blockSeconds ?? 0),
        });
        insurance.set(key, fallback);
        l = new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${prefix}:${spec.name}`,
          points: spec.points,
          duration: spec.durationSeconds,
          blockDuration: spec.blockSeconds ?? 0,
          insuranceLimiter: fallback,
        });
        made.set(key, l);
      }
      return l;
    },
    async forget(keyPart) {
      // SCAN, not KEYS: it does not stall Redis for everyone else on a big keyspace.
      let removed = await forgetInMemory(insurance.values(), keyPart);
      const match = `${prefix}:*${globEscape(keyPart)}*`;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 500);
        if (keys.length) removed += await redis.del(...keys);
        cursor = next;
      } while (cursor !== "0");
      return removed;
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

/** Counters of memory limiters are listed through rate-limiter-flexible's own dump(). */
async function forgetInMemory(limiters: Iterable<RateLimiterAbstract>, keyPart: string): Promise<number> {
  let removed = 0;
  for (const l of limiters) {
    if (!(l instanceof RateLimiterMemory)) continue;
    for (const { key } of l.dump().storage) {
      if (String(key).includes(keyPart) && (await l.delete(key))) removed++;
    }
  }
  return removed;
}

/** A literal for a Redis MATCH pattern. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}

function specKey(spec: LimiterSpec): string {
  return `${spec.name}/${spec.points}/${spec.durationSeconds}/${spec.blockSeconds ?? 0}`;
}

/** Seconds until the caller may retry, from a rejection of rate-limiter-flexible. */
export function retryAfterSeconds(rejection: unknown): number | null {
  if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return null;
}
