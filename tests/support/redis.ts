import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { redisBackend, type LimiterBackend } from "../../server/src/rate-limit/backend.js";

/** The local Redis (override with TEST_REDIS_URL). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other test run uses. */
export function uniqueRedisPrefix(label = "hs-test"): string {
  return `${label}-${randomUUID()}`;
}

/**
 * A Redis limiter backend whose connection is up. Until ioredis is connected,
 * rate-limiter-flexible quietly counts in its in-memory insurance limiter, so
 * a test that means to exercise Redis must wait for a counter to land there.
 */
export async function readyRedisBackend(prefix: string): Promise<LimiterBackend> {
  const backend = redisBackend(REDIS_URL, prefix);
  const probe = backend.limiter({ name: "ready-probe", points: 1_000_000, durationSeconds: 60 });
  const key = randomUUID();
  const redis = new Redis(REDIS_URL);
  try {
    for (let i = 0; i < 200; i++) {
      await probe.consume(key).catch(() => undefined);
      if (await redis.exists(`${prefix}:ready-probe:${key}`)) return backend;
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    redis.disconnect();
  }
  await backend.close();
  throw new Error(`Redis at ${REDIS_URL} did not become ready`);
}

/** The keys under `prefix`, to check that counters really live in Redis. */
export async function redisKeys(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

/** Removes every key under `prefix`. */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
