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
    close: async () => {},
  };
}

export function redisBackend(url: string, prefix = "hoursync"): LimiterBackend {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on("error", () => {}); // the insurance limiter covers outages; ioredis reconnects by itself
  const made = new Map<string, RateLimiterAbstract>();
  return {
    limiter(spec) {
      const key = specKey(spec);
      let l = made.get(key);
      if (!l) {
        l = new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${prefix}:${spec.name}`,
          points: spec.points,
          duration: spec.durationSeconds,
          blockDuration: spec.blockSeconds ?? 0,
          insuranceLimiter: new RateLimiterMemory({
            keyPrefix: `${spec.name}:insurance`,
            points: spec.points,
            duration: inMemory(spec.durationSeconds),
            blockDuration: inMemory(spec.blockSeconds ?? 0),
          }),
        });
        made.set(key, l);
      }
      return l;
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

function specKey(spec: LimiterSpec): string {
  return `${spec.name}/${spec.points}/${spec.durationSeconds}/${spec.blockSeconds ?? 0}`;
}

/** Seconds until the caller may retry, from a rejection of rate-limiter-flexible. */
export function retryAfterSeconds(rejection: unknown): number | null {
  if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return null;
}
