import path from "node:path";
import { z } from "zod";

/** Every environment variable the server reads, with its default. The README table mirrors this. */
const envSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DATABASE_URL: z.string().url().optional(),
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default(path.resolve(".hoursync-data")),
  EMBEDDED_ANALYZE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  REDIS_URL: z.string().url().optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 30),
  PASSWORD_COST: z.enum(["low", "standard"]).default("standard"),
  LOGIN_MAX_FAILS_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILS_PER_IP: z.coerce.number().int().positive().default(50),
  LOGIN_BLOCK_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SEED_DEMO: z.enum(["auto", "never"]).default("auto"),
  WEEKLY_SUMMARY: z.enum(["on", "off"]).default("on"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info"),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
