/**
 * PostgreSQL reports constraint failures by SQLSTATE. Prisma wraps them
 * differently per adapter (a known P-code with the state in meta, or a bare
 * DriverAdapterError), so we dig for the state once, here.
 */
export const SQLSTATE = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  /** An ON DELETE RESTRICT foreign key (PostgreSQL 18 reports it apart from 23503). */
  restrictViolation: "23001",
  checkViolation: "23514",
  exclusionViolation: "23P01",
  insufficientPrivilege: "42501",
  serializationFailure: "40001",
  /** A statement stopped by statement_timeout (or a cancel request). */
  queryCanceled: "57014",
} as const;

export interface DbFailure {
  sqlState: string;
  constraint: string | null;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : null;
}

export function dbFailureOf(err: unknown, depth = 0): DbFailure | null {
  const e = asRecord(err);
  if (!e || depth > 5) return null;
  for (const key of ["originalCode", "code"]) {
    const code = e[key];
    // Prisma's own codes (P2002, P2003, ...) look like SQLSTATEs: skip them and dig for the real state.
    const prismaCode = key === "code" && typeof code === "string" && /^P[1-9]\d{3}$/.test(code);
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !prismaCode) {
      const text = String(e.originalMessage ?? e.message ?? "");
      const constraint = /constraint "([^"]+)"/.exec(text)?.[1] ?? null;
      return { sqlState: code, constraint };
    }
  }
  const meta = asRecord(e.meta);
  return (
    dbFailureOf(e.cause, depth + 1) ??
    dbFailureOf(meta?.driverAdapterError, depth + 1) ??
    null
  );
}
