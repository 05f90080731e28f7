/**
 * Each workspace's account of time spent in its places for heavy reads: in the long run it may
 * keep a place busy `share` of the time, with `burstMs` of heavy time ahead for a person who
 * clicks through a few reports. A company running its largest report in a loop spends the burst
 * in seconds and is then held to its share, so the others keep the rest of the core; one report
 * now and then never waits for the account.
 */
export class HeavyTimeAccounts {
  /** Balance in ms of heavy time, as of `at`; a workspace without an account has a full burst. */
  private readonly accounts = new Map<string, { balanceMs: number; at: number }>();

  constructor(
    private readonly share: number,
    private readonly burstMs: number,
  ) {}

  /**
   * Books a read that held a place from `startedAt` to `endedAt` (performance.now() times) and
   * answers how long the place must rest before the workspace's next read: 0 while the account
   * is in credit, else until the share earns the debt back.
   */
  book(tenantId: string, startedAt: number, endedAt: number): number {
    if (this.share >= 1) return 0;
    const account = this.accounts.get(tenantId);
    const atStart = account ? Math.min(this.burstMs, account.balanceMs + Math.max(0, startedAt - account.at) * this.share) : this.burstMs;
    // While it reads, the account spends a millisecond and earns `share` of one.
    const balanceMs = atStart - Math.max(0, endedAt - startedAt) * (1 - this.share);
    this.accounts.set(tenantId, { balanceMs, at: endedAt });
    if (this.accounts.size > 1_000) this.forgetFull(endedAt);
    return balanceMs < 0 ? -balanceMs / this.share : 0;
  }

  /** Accounts held now (for tests). */
  get size(): number {
    return this.accounts.size;
  }

  /** Accounts that have earned a full burst back are the same as none. */
  private forgetFull(now: number): void {
    for (const [tenantId, a] of this.accounts) {
      if (a.balanceMs + (now - a.at) * this.share >= this.burstMs) this.accounts.delete(tenantId);
    }
  }
}
