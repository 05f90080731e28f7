import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { retryAfterSeconds, type LimiterBackend } from "./backend.js";
import { RateLimitedError } from "./errors.js";

export interface LoginThrottleOptions {
  maxFailsPerAccount: number;
  maxFailsPerIp: number;
  blockSeconds: number;
}

/**
 * Slows password guessing: after N failed logins an account (or an IP,
 * with a higher N) is blocked for a while. A success clears the account.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(backend: LimiterBackend, opts: LoginThrottleOptions) {
    this.byAccount = backend.limiter({
      name: "login-fail-account",
      points: opts.maxFailsPerAccount,
      durationSeconds: opts.blockSeconds,
      blockSeconds: opts.blockSeconds,
    });
    this.byIp = backend.limiter({
      name: "login-fail-ip",
      points: opts.maxFailsPerIp,
      durationSeconds: 60 * 60,
      blockSeconds: opts.blockSeconds,
    });
  }

  /**
   * Spends one attempt of the account and of the IP *before* the password is
   * checked, so parallel guesses cannot all pass a check that only reads.
   * Throws RateLimitedError while the account or the IP is blocked.
   */
  async attempt(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    const blocked = [account, address].filter((r) => r !== null && r.remainingPoints <= 0);
    if (blocked.length > 0) {
      const wait = Math.max(...blocked.map((r) => retryAfterSeconds(r) ?? 1));
      throw new RateLimitedError("login", wait);
    }
    const spent = await Promise.allSettled([this.byAccount.consume(email), this.byIp.consume(ip)]);
    const refused = spent.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (refused.length > 0) {
      const waits = refused.map((r) => retryAfterSeconds(r));
      if (waits.some((w) => w === null)) throw refused[0];
      throw new RateLimitedError("login", Math.max(...waits.map((w) => w ?? 1)));
    }
  }

  /** A success clears the account's failures and gives the IP its attempt back. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await Promise.all([this.byAccount.delete(email), this.byIp.reward(ip)]);
  }
}
