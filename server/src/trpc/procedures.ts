import { TRPCError } from "@trpc/server";
import { resolveSession, type SessionUser } from "../auth/sessions.js";
import { recordDenial } from "../audit/denials.js";
import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import { withTenant, withTenantMember, TenantScopeError, type EnteredMembership, type TenantDb } from "../db/tenant.js";
import { DomainError, type DomainReason } from "../domain/errors.js";
import { RateLimitedError } from "../rate-limit/errors.js";
import { HEAVY_TIMEOUT_MESSAGE } from "../rate-limit/heavy-work.js";
import type { Role } from "../contract/common.js";
import type { PrismaClient } from "../db/generated/client.js";
import { AccessEndedError, currentMember, inTenantAsOfNow, type Member } from "./access-now.js";
import type { Services } from "./context.js";
import { publicProcedure, ReasonedError } from "./init.js";
import { annotateRequest } from "../observability/request-context.js";

export type { Member } from "./access-now.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rateLimited(err: RateLimitedError): TRPCError {
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message, cause: err });
}

/**
 * The signed-in user behind a bearer token, with their global request budget
 * spent; null when there is no token or it is unknown, revoked or expired.
 * Throws RateLimitedError when the user is over their budget.
 */
export async function signedInUser(services: Services, token: string | null): Promise<SessionUser | null> {
  const session = token ? await resolveSession(services.db.prisma, token) : null;
  if (session) await services.limits.consumeUser(session.userId);
  return session;
}

/** A signed-in user (global: no tenant yet). */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let session: SessionUser | null;
  try {
    session = await signedInUser(ctx.services, ctx.req.token);
  } catch (err) {
    if (err instanceof RateLimitedError) throw rateLimited(err);
    throw err;
  }
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  annotateRequest({ userId: session.userId });
  return next({ ctx: { user: session } });
});

/**
 * The tenant a request names, in its one spelling (rate budgets and cache
 * keys are keyed by this string): "missing" when it names none, "unknown"
 * when what it names cannot be a workspace id.
 */
export function namedTenant(workspaceId: string | null): { tenantId: string } | { problem: "missing" | "unknown" } {
  const tenantId = workspaceId?.toLowerCase();
  if (!tenantId) return { problem: "missing" };
  if (!UUID.test(tenantId)) return { problem: "unknown" };
  return { tenantId };
}

/**
 * The caller's membership as entering the tenant read it (`withTenantMember`), with the
 * workspace's request budgets spent, or null when the caller is not a member. Throws
 * RateLimitedError when over a budget.
 */
export async function admitMember(
  services: Services,
  tenantId: string,
  userId: string,
  membership: EnteredMembership | null,
): Promise<Member | null> {
  if (!membership) return null;
  await services.limits.consumeTenant(tenantId, userId, {
    tenantPerMinute: membership.tenantPerMinute,
    userPerMinute: membership.userPerMinute,
  });
  return { membershipId: membership.membershipId, userId, role: membership.role as Role };
}

/**
 * A member over a budget of the workspace is refused again, while the wait
 * lasts, before any transaction is opened: a flood's repeats cost no
 * database work beyond the session lookup.
 */
export function notRefusedRecently(services: Services, tenantId: string, userId: string): void {
  try {
    services.limits.assertNotRefused(tenantId, userId);
  } catch (err) {
    throw translate(err);
  }
}

/** Counts, in the target workspace's own audit log, that a non-member tried `procedure` on it. */
export function recordNotMember(prisma: PrismaClient, tenantId: string, userId: string, procedure: string): Promise<void> {
  return recordDenial(prisma, tenantId, { actorUserId: userId, procedure, reason: "not a member" });
}

/** Things to do once the tenant transaction has committed (cache invalidation, removing files). */
type AfterCommit = () => unknown;

const ROLLBACK = Symbol("rollback");

/** The workspace a request names, or the typed error for naming none or nonsense. */
function requestedTenant(workspaceId: string | null): string {
  const named = namedTenant(workspaceId);
  if ("problem" in named) {
    throw named.problem === "missing"
      ? new TRPCError({ code: "BAD_REQUEST", message: "Name a workspace (x-hoursync-workspace header)" })
      : new TRPCError({ code: "NOT_FOUND", message: "Workspace not found" });
  }
  return named.tenantId;
}

const notMember = () => new TRPCError({ code: "NOT_FOUND", message: "Workspace not found" });

/**
 * A request inside one workspace. The tenant comes only from the caller's
 * membership in the workspace the request names; the whole procedure then
 * runs in one tenant transaction and sees nothing but the scoped handle.
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, next, path, meta }) => {
  const tenantId = requestedTenant(ctx.req.workspaceId);
  const { prisma } = ctx.services.db;
  notRefusedRecently(ctx.services, tenantId, ctx.user.userId);
  // A heavy read is admitted (budgets spent) before it takes its place; inside, only the membership is read again.
  const release = meta?.heavy ? await heavyPlace(ctx.services, tenantId, ctx.user.userId, path) : null;
  const afterCommit: AfterCommit[] = [];
  const enter = (db: TenantDb, member: Member) =>
    next({
      ctx: { tenantId, db, member, afterCommit: (fn: AfterCommit) => void afterCommit.push(fn) },
    });
  let result: Awaited<ReturnType<typeof enter>> | undefined;
  let denied = false;
  const run = async (db: TenantDb, member: Member | null) => {
    if (!member) {
      denied = true;
      throw notMember();
    }
    annotateRequest({ workspaceId: tenantId });
    result = await enter(db, member);
    if (!result.ok) throw ROLLBACK;
  };
  try {
    if (release) {
      // Admitted already (budgets spent): only the membership is read again, under the heavy read's limits.
      await withTenant(prisma, tenantId, async (db) => run(db, await currentMember(db, tenantId, ctx.user.userId)), {
        snapshot: meta?.snapshot,
        ...ctx.services.heavy.tx,
      });
    } else {
      await withTenantMember(prisma, tenantId, ctx.user.userId, async (db, membership) => run(db, await admitMember(ctx.services, tenantId, ctx.user.userId, membership)), {
        snapshot: meta?.snapshot,
      });
    }
  } catch (err) {
    if (err === ROLLBACK && result && !result.ok) {
      const cause = result.error.cause;
      const mapped = cause ? translate(cause) : null;
      if (mapped instanceof TRPCError) throw mapped;
      return result;
    }
    if (denied) await recordNotMember(prisma, tenantId, ctx.user.userId, path);
    throw translate(err);
  } finally {
    release?.();
  }
  for (const fn of afterCommit) await fn();
  return result!;
});

/**
 * A place for a heavy read of `tenantId`. The caller is admitted first (a
 * short transaction: membership checked, budgets spent), so only members
 * ever stand in a workspace's line, and nobody holds a connection while
 * waiting in it.
 */
async function heavyPlace(services: Services, tenantId: string, userId: string, path: string): Promise<() => void> {
  const { prisma } = services.db;
  let member: Member | null;
  try {
    member = await withTenantMember(prisma, tenantId, userId, (_db, membership) => admitMember(services, tenantId, userId, membership));
  } catch (err) {
    throw translate(err);
  }
  if (!member) {
    await recordNotMember(prisma, tenantId, userId, path);
    throw notMember();
  }
  try {
    return await services.heavy.gate.take(tenantId);
  } catch (err) {
    throw translate(err);
  }
}

/**
 * A request inside one workspace that must not hold a transaction open
 * while it runs: an upload streams for as long as the client sends.
 * Membership is checked (and budgets spent) in a short tenant transaction;
 * the procedure then opens its own short ones with `ctx.inTenant`, which
 * checks the session and membership again each time and hands it the
 * scoped handle and the member as they are at that moment.
 */
export const streamingTenantProcedure = authedProcedure.use(async ({ ctx, next, path }) => {
  const tenantId = requestedTenant(ctx.req.workspaceId);
  const { prisma } = ctx.services.db;
  notRefusedRecently(ctx.services, tenantId, ctx.user.userId);
  let member: Member | null;
  try {
    member = await withTenantMember(prisma, tenantId, ctx.user.userId, (_db, membership) => admitMember(ctx.services, tenantId, ctx.user.userId, membership));
  } catch (err) {
    throw translate(err);
  }
  if (!member) {
    await recordNotMember(prisma, tenantId, ctx.user.userId, path);
    throw notMember();
  }
  const caller = { token: ctx.req.token!, userId: ctx.user.userId };
  const inTenant = <T>(work: (db: TenantDb, member: Member) => Promise<T>) => inTenantAsOfNow(prisma, tenantId, caller, work);
  const result = await next({ ctx: { tenantId, member, inTenant } });
  if (!result.ok && result.error.cause) {
    const mapped = translate(result.error.cause);
    if (mapped instanceof TRPCError) throw mapped;
  }
  return result;
});

/** Restricts a tenant procedure to some roles. */
export function requireRole(...allowed: Role[]) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!allowed.includes(ctx.member.role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Needs role ${allowed.join(" or ")}` });
    }
    return next();
  });
}

export const managerProcedure = requireRole("OWNER", "ADMIN", "MANAGER");
export const adminProcedure = requireRole("OWNER", "ADMIN");

const DOMAIN_CODE: Record<DomainReason, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  VALIDATION: "BAD_REQUEST",
  OVERLAP: "CONFLICT",
  CONFLICT: "CONFLICT",
  LOCKED_PERIOD: "CONFLICT",
};

/** Turns domain refusals, database and limiter failures into typed API errors without leaking their text. */
export function translate(err: unknown): unknown {
  if (err instanceof TRPCError) return err;
  if (err instanceof RateLimitedError) return rateLimited(err);
  if (err instanceof TenantScopeError) return new TRPCError({ code: "NOT_FOUND", message: "Not found" });
  if (err instanceof AccessEndedError) {
    return new TRPCError({ code: err.what === "session" ? "UNAUTHORIZED" : "NOT_FOUND", message: err.message });
  }
  if (err instanceof DomainError) return new ReasonedError(DOMAIN_CODE[err.reason], err.reason, err.message);
  const failure = dbFailureOf(err);
  switch (failure?.sqlState) {
    case SQLSTATE.exclusionViolation:
      return new ReasonedError("CONFLICT", "OVERLAP", "This entry overlaps another of your entries");
    case SQLSTATE.uniqueViolation:
      return new ReasonedError("CONFLICT", "DUPLICATE", "Something with that name or id already exists");
    case SQLSTATE.foreignKeyViolation:
    case SQLSTATE.restrictViolation:
      return new ReasonedError("CONFLICT", "IN_USE", "It is still in use (archive it instead) or refers to something missing");
    case SQLSTATE.checkViolation:
      return new ReasonedError("BAD_REQUEST", "INVALID", "The values are not consistent");
    case SQLSTATE.insufficientPrivilege:
      return new TRPCError({ code: "NOT_FOUND", message: "Not found" });
    case SQLSTATE.queryCanceled:
      return new ReasonedError("TIMEOUT", "STATEMENT_TIMEOUT", HEAVY_TIMEOUT_MESSAGE);
    default:
      return err;
  }
}
