/**
 * "No database connection was free in time": the request waited its whole
 * DB_POOL_WAIT_MS for one (Prisma's transaction start, P2028, or the pool's
 * own connect timeout). The server is overloaded, not broken: the API answers
 * 503 with Retry-After, and a client retries later instead of reporting a bug.
 */
export class DatabaseBusyError extends Error {
  /** Short: a wait for a connection ends within seconds once the load passes, and clients add their own jitter. */
  readonly retryAfterSeconds = 2;

  constructor() {
    super("The server is busy. Retry shortly.");
    this.name = "DatabaseBusyError";
  }
}

/** Prisma's interactive transaction could not get a connection within maxWait. */
const TRANSACTION_START = /Unable to start a transaction in the given time/;
/** node-postgres' pool: connectionTimeoutMillis passed with every connection in use. */
const POOL_CONNECT = /timeout exceeded when trying to connect/;

/** Whether `err` (or anything it wraps) is a wait for a connection that ran out. */
export function isDatabaseBusy(err: unknown, depth = 0): boolean {
  if (err instanceof DatabaseBusyError) return true;
  if (typeof err !== "object" || err === null || depth > 6) return false;
  const e = err as Record<string, unknown>;
  for (const key of ["message", "originalMessage"]) {
    const text = e[key];
    if (typeof text !== "string") continue;
    if (POOL_CONNECT.test(text)) return true;
    if (e.code === "P2028" && TRANSACTION_START.test(text)) return true;
  }
  const meta = typeof e.meta === "object" && e.meta !== null ? (e.meta as Record<string, unknown>) : null;
  return isDatabaseBusy(e.cause, depth + 1) || isDatabaseBusy(meta?.driverAdapterError, depth + 1);
}
