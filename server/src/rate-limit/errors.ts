/** Thrown when a caller is over a limit; the API layer turns it into 429 + Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    readonly scope: "tenant" | "user" | "login" | "sign-up" | "export" | "import" | "password" | "heavy",
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many requests (${scope} limit). Retry after ${retryAfterSeconds}s.`);
    this.name = "RateLimitedError";
  }
}
