import { LRUCache } from "lru-cache";
import { RateLimiterRes } from "rate-limiter-flexible";
import { tenantKey } from "../cache/keys.js";
import { retryAfterSeconds, type LimiterBackend } from "./backend.js";
import { RateLimitedError } from "./errors.js";

export interface TenantLimits {
  /** Requests per minute for the whole workspace. */
  tenantPerMinute: number;
  /** Requests per minute for one member inside the workspace. */
  userPerMinute: number;
}

/**
 * Request budgets. Every tenant has its own counter (so one tenant's flood
 * never spends another's budget), and every member has one inside it.
 */
export class RequestLimits {
  /**
   * Members refused in a workspace, until their wait is over. A flood from
   * one workspace would otherwise cost a tenant transaction per refused
   * call (the membership and the workspace's budgets are read in it): with
   * this, a repeat of a refusal costs the session lookup and nothing else,
   * so a workspace at 20 times its budget does not eat its neighbours' CPU
   * and connections. Only callers the limiter refused after their
   * membership was checked are remembered, so a non-member never learns a
   * workspace exists from a 429. Per process: a hint that repeats what the
   * shared counters said, never a count of its own.
   */
  private readonly refused = new LRUCache<string, { scope: "tenant" | "user"; until: number }>({ max: 100_000 });

  constructor(
    private readonly backend: LimiterBackend,
    private readonly globalUserPerMinute: number,
  ) {}

  /** Throws the refusal `userId` got in `tenantId` while its wait lasts; nothing else is read. */
  assertNotRefused(tenantId: string, userId: string): void {
    const key = tenantKey(tenantId, "requests", userId);
    const refusal = this.refused.get(key);
    if (!refusal) return;
    const left = refusal.until - Date.now();
    if (left <= 0) {
      this.refused.delete(key);
      return;
    }
    throw new RateLimitedError(refusal.scope, Math.max(1, Math.ceil(left / 1000)));
  }

  /** Checked before any tenant is resolved: bounds what one login can make the server do. */
  async consumeUser(userId: string): Promise<void> {
    await this.consume("user", `u:${userId}`, { name: "req-user", points: this.globalUserPerMinute, durationSeconds: 60 });
  }

  /** Spends one request of the workspace's budget and of the member's inside it; the caller's membership was checked. */
  async consumeTenant(tenantId: string, userId: string, limits: TenantLimits): Promise<void> {
    const remember = tenantKey(tenantId, "requests", userId);
    await this.consume(
      "tenant",
      tenantKey(tenantId, "requests"),
      { name: "req-tenant", points: limits.tenantPerMinute, durationSeconds: 60 },
      remember,
    );
    await this.consume(
      "user",
      tenantKey(tenantId, "requests", userId),
      { name: "req-tenant-user", points: limits.userPerMinute, durationSeconds: 60 },
      remember,
    );
  }

  /** Drops every counter of the tenant (its workspace was deleted): the workspace's and each member's. */
  async forgetTenant(tenantId: string): Promise<number> {
    return this.backend.forget(tenantKey(tenantId));
  }

  private async consume(
    scope: "tenant" | "user",
    key: string,
    spec: { name: string; points: number; durationSeconds: number },
    rememberAs?: string,
  ): Promise<void> {
    try {
      await this.backend.limiter(spec).consume(key);
    } catch (rejection) {
      const retry = retryAfterSeconds(rejection);
      if (retry === null) throw rejection;
      if (rememberAs && rejection instanceof RateLimiterRes) {
        this.refused.set(rememberAs, { scope, until: Date.now() + rejection.msBeforeNext });
      }
      throw new RateLimitedError(scope, retry);
    }
  }
}
