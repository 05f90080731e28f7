import { RateLimitedError } from "./errors.js";
import { HeavyTimeAccounts } from "./heavy-time.js";

export interface HeavyWorkLimits {
  /** Heavy reads (reports, report exports) one workspace may run at once in this process. */
  perWorkspace: number;
  /** Further calls of the workspace that may wait for a place; beyond, refused at once. */
  queue: number;
  /** How long a waiting call waits for a place before it is refused. */
  queueWaitMs: number;
  /**
   * How much of a place's time one workspace may take in the long run (0-1), and the heavy time
   * it may take at once before that share applies (HeavyTimeAccounts). Unset: no account kept.
   */
  time?: { share: number; burstMs: number };
}

/** What a heavy read stopped by the statement timeout says (the API and the export route alike). */
export const HEAVY_TIMEOUT_MESSAGE = "This report took longer than the server allows: ask for a shorter range or narrower filters";

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

interface Lane {
  running: number;
  waiting: Waiter[];
}

/**
 * Places for heavy reads, per workspace: a company that runs its largest
 * report in a loop (inside its request budget) gets `perWorkspace` of them
 * at once and a short line of `queue` behind them; the rest is refused with
 * 429 and a retry hint. Its reports then use at most that many database
 * connections and cores, whatever it sends, and the others keep theirs.
 * Counted per process, like the export caps: connections and cores are too.
 */
export class HeavyWorkGate {
  private readonly lanes = new Map<string, Lane>();
  private readonly time: HeavyTimeAccounts | null;

  constructor(private readonly limits: HeavyWorkLimits) {
    this.time = limits.time ? new HeavyTimeAccounts(limits.time.share, limits.time.burstMs) : null;
  }

  /** Seconds a refused caller is told to wait: about one wait in the line. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.limits.queueWaitMs / 1000));
  }

  /** Runs `work` in one of the workspace's places, waiting in its line if need be; RateLimitedError when there is none. */
  async run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const release = await this.take(tenantId);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** A place of `tenantId` (waiting for one if the line has room); the returned function gives it back, once. */
  async take(tenantId: string): Promise<() => void> {
    const lane = this.lanes.get(tenantId) ?? { running: 0, waiting: [] };
    this.lanes.set(tenantId, lane);
    if (lane.running < this.limits.perWorkspace) {
      lane.running++;
    } else {
      if (lane.waiting.length >= this.limits.queue) throw this.refusal();
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          // The place is handed over by `release`, already counted as running.
          grant: () => {
            clearTimeout(waiter.timer);
            resolve();
          },
          timer: setTimeout(() => {
            lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
            reject(this.refusal());
          }, this.limits.queueWaitMs),
        };
        lane.waiting.push(waiter);
      });
    }
    const grantedAt = performance.now();
    let given = false;
    const handOver = () => {
      const next = lane.waiting.shift();
      if (next) return next.grant();
      lane.running--;
      if (lane.running === 0) this.lanes.delete(tenantId);
    };
    return () => {
      if (given) return;
      given = true;
      // A workspace past its share of heavy time leaves the place resting before its next read.
      const restMs = this.time?.book(tenantId, grantedAt, performance.now()) ?? 0;
      if (restMs < 1) return handOver();
      setTimeout(handOver, restMs).unref();
    };
  }

  /** Reads running now and calls waiting, of one workspace (for tests and metrics). */
  usage(tenantId: string): { running: number; waiting: number } {
    const lane = this.lanes.get(tenantId);
    return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  private refusal(): RateLimitedError {
    return new RateLimitedError("heavy", this.retryAfterSeconds);
  }
}
