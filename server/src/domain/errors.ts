/**
 * A rule of the domain said no. Routers turn it into a tRPC error; the sync
 * push turns it into a rejected mutation with the same reason.
 */
export type DomainReason = "NOT_FOUND" | "FORBIDDEN" | "VALIDATION" | "OVERLAP" | "CONFLICT" | "LOCKED_PERIOD";

export class DomainError extends Error {
  constructor(
    readonly reason: DomainReason,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
