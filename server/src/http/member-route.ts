import type { FastifyReply, FastifyRequest } from "fastify";
import { withTenantMember, type TenantDb, type TenantTxOptions } from "../db/tenant.js";
import { requestInfo, type Services } from "../trpc/context.js";
import { inTenantAsOfNow } from "../trpc/access-now.js";
import { admitMember, namedTenant, recordNotMember, signedInUser, type Member } from "../trpc/procedures.js";
import { HttpProblem, problemOf } from "./problem.js";
import { RateLimitedError } from "../rate-limit/errors.js";
import { annotateRequest } from "../observability/request-context.js";

/** What a plain HTTP route gets once the caller is admitted to the workspace. */
export interface MemberScope {
  tenantId: string;
  db: TenantDb;
  member: Member;
  /**
   * Another short tenant transaction for a later step of the same request
   * (an export's next page), with the caller's session and membership
   * checked again: a removed member's request stops at its next step.
   */
  inTenant: <T>(work: (db: TenantDb, member: Member) => Promise<T>, opts?: TenantTxOptions) => Promise<T>;
}

const CLIENT_GONE = new Set(["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE", "CLIENT_STALLED"]);

function clientWentAway(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && CLIENT_GONE.has(code);
}

/** What `work` may hand back: more sending to do after the tenant transaction has committed. */
type AfterCommit = () => Promise<void>;

/**
 * Runs `work` for a plain HTTP route the way tenantProcedure runs a
 * procedure: bearer session (401), global then workspace rate budgets (429
 * with Retry-After), the named workspace (400 when none), membership checked
 * inside the one tenant transaction `work` runs in (404, and an
 * access.denied event in the target workspace's log, for a non-member).
 *
 * `work` answers through `reply` itself and may stream. A failure before it
 * has sent anything becomes a JSON error; once it is sending, a failure cuts
 * the response short, so a client never takes a partial file for a whole one.
 * A long send is returned by `work` as a function and runs after the
 * transaction, so it holds no connection while the client reads; what it
 * still needs from the database it reads in short transactions of its own
 * (`inTenant`).
 */
export async function asMember(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  route: string,
  work: (scope: MemberScope) => Promise<void | AfterCommit>,
): Promise<void> {
  const { prisma } = services.db;
  try {
    const info = requestInfo(req.headers, req.ip);
    const user = await signedInUser(services, info.token);
    if (!user) throw new HttpProblem(401, "Sign in first");
    annotateRequest({ userId: user.userId });
    const named = namedTenant(info.workspaceId);
    if ("problem" in named) {
      throw named.problem === "missing"
        ? new HttpProblem(400, "Name a workspace (x-hoursync-workspace header)")
        : new HttpProblem(404, "Workspace not found");
    }
    const { tenantId } = named;
    // A member still waiting out a refusal is refused again before any transaction.
    services.limits.assertNotRefused(tenantId, user.userId);
    const caller = { token: info.token!, userId: user.userId };
    const inTenant: MemberScope["inTenant"] = (next, txOpts) => inTenantAsOfNow(prisma, tenantId, caller, next, txOpts);
    let denied = false;
    let after: void | AfterCommit;
    try {
      after = await withTenantMember(prisma, tenantId, user.userId, async (db, membership) => {
        const member = await admitMember(services, tenantId, user.userId, membership);
        if (!member) {
          denied = true;
          throw new HttpProblem(404, "Workspace not found");
        }
        annotateRequest({ workspaceId: tenantId });
        return work({ tenantId, db, member, inTenant });
      });
    } catch (err) {
      if (denied) await recordNotMember(prisma, tenantId, user.userId, route);
      throw err;
    }
    if (after) await after();
  } catch (err) {
    if (reply.sent || reply.raw.headersSent) {
      // A client that left or stalled, or access that ended between pages, is expected; anything else is an error.
      if (!clientWentAway(err) && !problemOf(err)) services.log("error", "response failed while sending", { path: route, error: String(err) });
      reply.raw.destroy();
      return;
    }
    const problem = problemOf(err);
    if (err instanceof RateLimitedError) services.metrics.refused(err.scope);
    if (problem?.status === 503) services.metrics.databaseBusy("http");
    if (!problem) {
      services.log("error", "internal error", { path: route, error: String(err) });
      await reply.code(500).send({ error: "Internal server error" });
      return;
    }
    await reply
      .code(problem.status)
      .headers(problem.headers)
      .send({ error: problem.message, ...problem.extra });
  }
}
