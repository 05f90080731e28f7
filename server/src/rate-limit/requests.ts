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
  constructor(
    private readonly backend: LimiterBackend,
    private readonly globalUserPerMinute: number,
  ) {}

  /** Checked before any tenant is resolved: bounds what one login can make the server do. */
  async consumeUser(userId: string): Promise<void> {
    await this.consume("user", `u:${userId}`, { name: "req-user", points: this.globalUserPerMinute, durationSeconds: 60 });
  }

  async consumeTenant(tenantId: string, userId: string, limits: TenantLimits): Promise<void> {
    await this.consume("tenant", tenantKey(tenantId, "requests"), {
      name: "req-tenant",
      points: limits.tenantPerMinute,
      durationSeconds: 60,
    });
    await this.consume("user", tenantKey(tenantId, "requests", userId), {
      name: "req-tenant-user",
      points: limits.userPerMinute,
      durationSeconds: 60,
    });
  }

  /** Drops every counter of the tenant (its workspace was deleted): the workspace's and each member's. */
  async forgetTenant(tenantId: string): Promise<number> {
    return this.backend.forget(tenantKey(tenantId));
  }

  private async consume(
    scope: "tenant" | "user",
    key: string,
    spec: { name: string; points: number; durationSeconds: number },
  ): Promise<void> {
    try {
      await this.backend.limiter(spec).consume(key);
    } catch (rejection) {
      const retry = retryAfterSeconds(rejection);
      if (retry === null) throw rejection;
      throw new RateLimitedError(scope, retry);
    }
  }
}
