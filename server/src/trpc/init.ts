import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { isStorableText } from "../contract/common.js";
import { wireFormat } from "../contract/wire-format.js";
import { DatabaseBusyError, isDatabaseBusy } from "../db/busy.js";
import { RateLimitedError } from "../rate-limit/errors.js";
import type { Context } from "./context.js";

/**
 * One tRPC instance. The formatter is the last line of defence against
 * leaks: internal errors reach the client as a fixed message, never with
 * a stack, SQL or driver text; validation errors carry their field errors.
 */
export interface ProcedureMeta {
  /**
   * Run the tenant transaction on one snapshot (REPEATABLE READ): every
   * statement sees the same committed state, so reads that must agree with
   * each other (a sync pull's pages and its cursor) do.
   */
  snapshot?: boolean;
  /**
   * A heavy read (a report): it runs in one of the workspace's few places
   * for heavy work (waiting briefly in line, else TOO_MANY_REQUESTS with a
   * retry hint), and each of its statements under the heavy statement timeout.
   */
  heavy?: boolean;
}

export const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  isDev: false,
  // Dates and other non-JSON values survive the wire both ways.
  transformer: wireFormat,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const limited = error.cause instanceof RateLimitedError || error.cause instanceof DatabaseBusyError ? error.cause : null;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      message: internal ? "Internal server error" : zod ? "Invalid input" : shape.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: zod?.fieldErrors ?? null,
        formErrors: zod?.formErrors ?? null,
        retryAfterSeconds: limited?.retryAfterSeconds ?? null,
        reason: reasonOf(error),
      },
    };
  },
});

/** A machine-readable reason some errors carry (e.g. OVERLAP), for the app to show. */
export class ReasonedError extends TRPCError {
  constructor(
    code: TRPCError["code"],
    readonly reason: string,
    message: string,
  ) {
    super({ code, message });
  }
}

function reasonOf(error: TRPCError): string | null {
  if (error.cause instanceof DatabaseBusyError) return "SERVER_BUSY";
  return error instanceof ReasonedError ? error.reason : null;
}

export const router = t.router;
export const middleware = t.middleware;
function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return !isStorableText(value);
  if (depth > 20 || typeof value !== "object" || value === null) return false;
  return Object.values(value).some((v) => hasUnstorableText(v, depth + 1));
}

/** Procedures whose input carries items checked one by one, so one bad item is refused alone. */
const CHECKED_PER_ITEM = new Set(["sync.push"]);

/**
 * Times every call and counts its failures by code (the outermost middleware, so refusals of the
 * inner ones, input validation and limits included, are counted too).
 */
const measuredProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  const started = performance.now();
  const result = await next();
  // A wait for a database connection that ran out arrives from wherever it happened as an internal
  // error: here, the one place every call passes, it becomes "busy, retry" (503, Retry-After).
  const busy = !result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseBusy(result.error.cause) ? serverBusy() : null;
  ctx.services.metrics.procedureDone(path, (performance.now() - started) / 1000, result.ok ? null : (busy ?? result.error));
  if (busy) throw busy;
  return result;
});

function serverBusy(): TRPCError {
  const cause = new DatabaseBusyError();
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: cause.message, cause });
}

/**
 * A backstop under the contract's own text rules: text PostgreSQL cannot
 * store (NUL) or that is not text at all (unpaired surrogates) is bad input
 * wherever it appears, never an internal error.
 */
export const publicProcedure = measuredProcedure.use(async ({ getRawInput, next, path }) => {
  if (!CHECKED_PER_ITEM.has(path) && hasUnstorableText(await getRawInput())) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Text must not contain NUL or broken (unpaired surrogate) characters" });
  }
  return next();
});
export const createCallerFactory = t.createCallerFactory;
