import type { Services } from "../trpc/context.js";
import { sweepRemovedFiles } from "./file-sweep.js";
import { runWeeklySummary } from "./weekly-summary.js";

const HOUR_MS = 3_600_000;

/** The weekly summary, counted in the metrics (ran, skipped because it already ran, failed). */
export function weeklySummaryJob(services: Services, opts: Parameters<typeof runWeeklySummary>[2] = {}) {
  return services.metrics.job("weekly-summary", async () => {
    const result = await runWeeklySummary(services.db.prisma, services.mailer, opts);
    return { ...result, failedTenants: result.report?.failed.length ?? 0 };
  });
}

/** The sweep of files whose rows are gone, counted in the metrics. */
export function fileSweepJob(services: Services) {
  return services.metrics.job("file-sweep", async () => ({ ran: true, removed: await sweepRemovedFiles(services) }));
}

/**
 * The server's scheduled work: the file sweep at start-up and hourly, the weekly summary hourly
 * (it runs once per week; job_runs dedupes across processes). Runs in flight are tracked, so
 * shutdown can let them finish before the database closes.
 */
export class JobSchedule {
  private readonly running = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly services: Services,
    private readonly opts: { weeklySummary: boolean; everyMs?: number },
  ) {}

  start(): void {
    this.track("removing deleted files", () => fileSweepJob(this.services));
    this.timer = setInterval(() => {
      this.track("removing deleted files", () => fileSweepJob(this.services));
      if (this.opts.weeklySummary) this.track("weekly summary", () => weeklySummaryJob(this.services));
    }, this.opts.everyMs ?? HOUR_MS);
    this.timer.unref();
  }

  /** Starts a run now (as the hourly tick would), tracked like the scheduled ones. */
  runWeeklySummaryNow(): Promise<unknown> {
    return this.track("weekly summary", () => weeklySummaryJob(this.services));
  }

  /** How many runs are in flight. */
  get inFlight(): number {
    return this.running.size;
  }

  /** No new runs; resolves when the running ones have ended, or false after `graceMs`. */
  async stop(graceMs: number): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.running]).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    return finished;
  }

  private track(name: string, run: () => Promise<unknown>): Promise<unknown> {
    const job = run()
      .catch((err: unknown) => this.services.log("error", `${name} failed`, { error: String(err) }))
      .finally(() => this.running.delete(job));
    this.running.add(job);
    return job;
  }
}
