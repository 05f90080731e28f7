import { DatabaseBusyError, isDatabaseBusy } from "../db/busy.js";
import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import { TenantScopeError } from "../db/tenant.js";
import { RateLimitedError } from "../rate-limit/errors.js";
import { AccessEndedError } from "../trpc/access-now.js";
import { HEAVY_TIMEOUT_MESSAGE } from "../rate-limit/heavy-work.js";

/** A refusal of a plain HTTP route, answered as JSON before any of the body is sent. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** More fields of the JSON body (e.g. which query fields are wrong). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpProblem";
  }
}

/**
 * The answer to a failure, mapped the way tRPC's translate() maps it for
 * procedures; null for anything unexpected (a 500 whose text never leaks).
 */
export function problemOf(err: unknown): HttpProblem | null {
  if (err instanceof HttpProblem) return err;
  if (err instanceof RateLimitedError) {
    return new HttpProblem(429, err.message, {}, { "retry-after": String(err.retryAfterSeconds) });
  }
  if (isDatabaseBusy(err)) {
    const busy = new DatabaseBusyError();
    return new HttpProblem(503, busy.message, { reason: "SERVER_BUSY" }, { "retry-after": String(busy.retryAfterSeconds) });
  }
  if (err instanceof TenantScopeError) return new HttpProblem(404, "Not found");
  if (err instanceof AccessEndedError) return new HttpProblem(err.what === "session" ? 401 : 404, err.message);
  const sqlState = dbFailureOf(err)?.sqlState;
  if (sqlState === SQLSTATE.insufficientPrivilege) return new HttpProblem(404, "Not found");
  if (sqlState === SQLSTATE.queryCanceled) return new HttpProblem(408, HEAVY_TIMEOUT_MESSAGE, { reason: "STATEMENT_TIMEOUT" });
  return null;
}
