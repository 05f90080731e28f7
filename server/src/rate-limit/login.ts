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

  /** Throws RateLimitedError while the account or the IP is blocked. */
  async check(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    const blocked = [account, address].filter((r) => r !== null && r.remainingPoints <= 0);
    if (blocked.length > 0) {
      const wait = Math.max(...blocked.map((r) => retryAfterSeconds(r) ?? 1));
      throw new RateLimitedError("login", wait);
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.byAccount.consume(email).catch(() => undefined),
      this.byIp.consume(ip).catch(() => undefined),
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}
