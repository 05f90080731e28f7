import type { Prisma, PrismaClient } from "./generated/client.js";

/**
 * The only database handle routers ever get: a transaction in which
 * `app.tenant_id` is set (the database wall) and whose model calls are
 * rewritten to carry the tenant (the application wall).
 */
export type TenantDb = Omit<Prisma.TransactionClient, "$executeRawUnsafe" | "$queryRawUnsafe" | "user" | "session" | "signUpRequest" | "workspaceDeletion">;

/** Models whose rows belong to a tenant, with the field that holds it. */
const TENANT_FIELD: Record<string, string> = {
  workspace: "id",
  membership: "tenantId",
  invitation: "tenantId",
  client: "tenantId",
  project: "tenantId",
  projectMember: "tenantId",
  task: "tenantId",
  tag: "tenantId",
  timeEntry: "tenantId",
  timeEntryTag: "tenantId",
  auditEvent: "tenantId",
  changeCounter: "tenantId",
  deletion: "tenantId",
  syncClient: "tenantId",
  syncMutation: "tenantId",
  timesheet: "tenantId",
  notification: "tenantId",
  attachment: "tenantId",
  storageDeletion: "tenantId",
  heldRow: "tenantId",
};

/** Global tables a tenant transaction may read (names and emails of members), never write. */
const READ_ONLY_GLOBAL = new Set(["user"]);
const READ_OPS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count"]);

const WHERE_OPS = new Set([
  "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count",
  "aggregate", "groupBy", "update", "updateMany", "updateManyAndReturn", "delete", "deleteMany", "upsert",
]);
const DATA_OPS = new Set(["create", "createMany", "createManyAndReturn"]);

export class TenantScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TenantScopeError";
  }
}

function pinTenant(record: Record<string, unknown> | undefined, field: string, tenantId: string, what: string) {
  const out = { ...(record ?? {}) };
  if (field in out && out[field] !== tenantId) {
    throw new TenantScopeError(`${what} names another tenant`);
  }
  out[field] = tenantId;
  return out;
}

function scopeArgs(model: string, op: string, args: Record<string, unknown> = {}, tenantId: string) {
  const field = TENANT_FIELD[model]!;
  const next: Record<string, unknown> = { ...args };
  if (WHERE_OPS.has(op)) next.where = pinTenant(args.where as Record<string, unknown>, field, tenantId, "where");
  if (DATA_OPS.has(op)) {
    const data = args.data;
    next.data = Array.isArray(data)
      ? data.map((d: Record<string, unknown>) => pinTenant(d, field, tenantId, "data"))
      : pinTenant(data as Record<string, unknown>, field, tenantId, "data");
  }
  if (op === "upsert") next.create = pinTenant(args.create as Record<string, unknown>, field, tenantId, "create");
  if ((op === "update" || op === "updateMany" || op === "upsert") && args.data) {
    const data = (op === "upsert" ? args.update : args.data) as Record<string, unknown> | undefined;
    if (data && field in data && data[field] !== tenantId) throw new TenantScopeError("rows cannot move between tenants");
  }
  if (!WHERE_OPS.has(op) && !DATA_OPS.has(op)) {
    throw new TenantScopeError(`${model}.${op} is not available in a tenant scope`);
  }
  return next;
}

function scopeDelegate(model: string, delegate: object, tenantId: string): object {
  return new Proxy(delegate, {
    get(target, op, receiver) {
      const fn = Reflect.get(target, op, receiver) as unknown;
      if (typeof op !== "string" || typeof fn !== "function") return fn;
      return (args?: Record<string, unknown>) =>
        (fn as (a: unknown) => unknown).call(target, scopeArgs(model, op, args, tenantId));
    },
  });
}

function readOnlyDelegate(model: string, delegate: object): object {
  return new Proxy(delegate, {
    get(target, op, receiver) {
      const fn = Reflect.get(target, op, receiver) as unknown;
      if (typeof op !== "string" || typeof fn !== "function") return fn;
      if (!READ_OPS.has(op)) throw new TenantScopeError(`${model}.${op} is not available in a tenant scope`);
      return (fn as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

const FORBIDDEN = new Set(["$executeRawUnsafe", "$queryRawUnsafe", "session", "$transaction"]);

export function scopeToTenant(tx: Prisma.TransactionClient, tenantId: string): TenantDb {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== "string") return value;
      if (FORBIDDEN.has(prop)) throw new TenantScopeError(`${prop} is not available in a tenant scope`);
      if (prop in TENANT_FIELD) return scopeDelegate(prop, value as object, tenantId);
      if (READ_ONLY_GLOBAL.has(prop)) return readOnlyDelegate(prop, value as object);
      if (prop.startsWith("$")) return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      throw new TenantScopeError(`${prop} is not available in a tenant scope`);
    },
  }) as TenantDb;
}

export interface TenantTxOptions {
  /** Milliseconds the whole unit of work may take. */
  timeout?: number;
  /** One snapshot for every statement (REPEATABLE READ) instead of one per statement. */
  snapshot?: boolean;
  /**
   * Milliseconds any one statement may run (`SET LOCAL statement_timeout`),
   * for heavy reads; 0 or unset: no limit of its own. PGlite ignores it.
   */
  statementTimeoutMs?: number;
  /**
   * Parallel workers one query of this transaction may use (`max_parallel_workers_per_gather`);
   * heavy reads get 0, so a place for a heavy read is one core, not three. PGlite has none anyway.
   */
  parallelWorkers?: number;
}

/**
 * Runs `work` as one transaction of `tenantId`: `set_config` first, so RLS
 * sees the tenant, then the scoped handle. Throwing rolls everything back.
 */
export async function withTenant<T>(
  prisma: PrismaClient,
  tenantId: string,
  work: (db: TenantDb) => Promise<T>,
  opts: TenantTxOptions = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      if (opts.statementTimeoutMs || opts.parallelWorkers !== undefined) {
        // One round trip for a heavy read's settings too; an unset one keeps the server's own value.
        const timeout = opts.statementTimeoutMs ? String(opts.statementTimeoutMs) : null;
        const workers = opts.parallelWorkers !== undefined ? String(opts.parallelWorkers) : null;
        await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true),
          set_config('statement_timeout', coalesce(${timeout}::text, current_setting('statement_timeout')), true),
          set_config('max_parallel_workers_per_gather', coalesce(${workers}::text, current_setting('max_parallel_workers_per_gather')), true)`;
      } else {
        await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
      }
      return work(scopeToTenant(tx, tenantId));
    },
    transactionOptions(opts),
  );
}

function transactionOptions(opts: Pick<TenantTxOptions, "timeout" | "snapshot">) {
  return {
    // The wait for a connection is the client's (DB_POOL_WAIT_MS).
    timeout: opts.timeout ?? 15_000,
    ...(opts.snapshot ? { isolationLevel: "RepeatableRead" as const } : {}),
  };
}

/** The caller's membership as the statement that enters the tenant reads it, with the workspace's request budgets. */
export interface EnteredMembership {
  membershipId: string;
  role: string;
  tenantPerMinute: number;
  userPerMinute: number;
}

/**
 * As `withTenant`, for a request of `userId`: the statement that names the tenant also reads the
 * caller's membership under it (`app_enter_tenant`, one round trip where there were two), and
 * `work` gets it, or null when the caller is no member.
 */
export async function withTenantMember<T>(
  prisma: PrismaClient,
  tenantId: string,
  userId: string,
  work: (db: TenantDb, membership: EnteredMembership | null) => Promise<T>,
  opts: Pick<TenantTxOptions, "timeout" | "snapshot"> = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<EnteredMembership[]>`
        SELECT membership_id::text AS "membershipId", role, tenant_per_minute AS "tenantPerMinute", user_per_minute AS "userPerMinute"
        FROM app_enter_tenant(${tenantId}::uuid, ${userId}::uuid)`;
      return work(scopeToTenant(tx, tenantId), rows[0] ?? null);
    },
    transactionOptions(opts),
  );
}
