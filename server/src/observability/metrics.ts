import { DatabaseBusyError } from "../db/busy.js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { RateLimitedError } from "../rate-limit/errors.js";

/** What a PostgreSQL pool says about its connections (node-postgres' own counters). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Where the database's figures come from at scrape time. */
export interface DatabaseGauges {
  kind: "pglite" | "postgres";
  /** PostgreSQL only: PGlite is one in-process session, there is no pool to describe. */
  pool?: () => PoolStats;
  /** Transactions open through Prisma right now (both kinds). */
  openTransactions: () => number;
}

/** Seconds: from a cached read (a few ms) to the longest a request transaction may run (15 s) and beyond. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Change numbers a device was behind its workspace's head when it pulled. */
const LAG_BUCKETS = [0, 1, 10, 100, 1_000, 10_000, 100_000];

/**
 * The process's Prometheus metrics, in a registry of its own (several servers in one test process
 * must not share counters). No label holds a workspace, user, e-mail or anything a caller typed:
 * procedure names, routes, error codes and limit scopes are fixed sets known to the code.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly procedureSeconds = new Histogram({
    name: "hoursync_trpc_request_duration_seconds",
    help: "tRPC procedure calls by procedure: latency (its _count is the number of calls)",
    labelNames: ["procedure"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly procedureErrors = new Counter({
    name: "hoursync_trpc_errors_total",
    help: "tRPC procedure calls that failed, by procedure and error code",
    labelNames: ["procedure", "code"] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: "hoursync_http_requests_total",
    help: "HTTP answers by route pattern, method and status class (tRPC, exports, files, probes)",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: "hoursync_rate_limit_refusals_total",
    help: "Requests refused with 429 by a limit or cap, by scope (tenant, user, login, sign-up, export, import, password, heavy)",
    labelNames: ["scope"] as const,
    registers: [this.registry],
  });
  private readonly busy = new Counter({
    name: "hoursync_db_busy_refusals_total",
    help: "Requests answered 503 (Retry-After) because no database connection was free in time, by API (trpc, http)",
    labelNames: ["api"] as const,
    registers: [this.registry],
  });
  private readonly pushes = new Counter({
    name: "hoursync_sync_pushes_total",
    help: "sync.push batches decided",
    registers: [this.registry],
  });
  private readonly pushedMutations = new Counter({
    name: "hoursync_sync_push_mutations_total",
    help: "Mutations in pushed batches, by outcome: applied, rejected, replayed (answered from the record)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly pulls = new Counter({
    name: "hoursync_sync_pulls_total",
    help: "sync.pull pages answered",
    registers: [this.registry],
  });
  private readonly pulledChanges = new Counter({
    name: "hoursync_sync_pull_changes_total",
    help: "Rows and deletions sent to devices by sync.pull",
    registers: [this.registry],
  });
  private readonly pullLag = new Histogram({
    name: "hoursync_sync_pull_lag_changes",
    help: "How many change numbers a device's cursor was behind its workspace's head when it pulled",
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  private readonly jobRuns = new Counter({
    name: "hoursync_job_runs_total",
    help: "Scheduled job runs by job and outcome: ran, skipped (another process or an earlier run had it), failed",
    labelNames: ["job", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly jobSeconds = new Histogram({
    name: "hoursync_job_duration_seconds",
    help: "How long scheduled job runs took",
    labelNames: ["job"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly jobTenantFailures = new Counter({
    name: "hoursync_job_tenant_failures_total",
    help: "Workspaces a job run gave up on after its retries (the others went on)",
    labelNames: ["job"] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    // CPU, memory, event loop lag, handles: the process's own health (no label of ours).
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "hoursync_" });
  }

  /** Publishes the database's pool and transaction figures, read at every scrape. */
  watchDatabase(db: DatabaseGauges): void {
    new Gauge({
      name: "hoursync_db_open_transactions",
      help: "Database transactions open right now",
      registers: [this.registry],
      collect() {
        this.set(db.openTransactions());
      },
    });
    const pool = db.pool;
    if (!pool) return;
    new Gauge({
      name: "hoursync_db_pool_connections",
      help: "PostgreSQL pool: connections by state (total open, idle), requests waiting for one, and the pool's maximum",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const s = pool();
        this.set({ state: "total" }, s.total);
        this.set({ state: "idle" }, s.idle);
        this.set({ state: "waiting" }, s.waiting);
        this.set({ state: "max" }, s.max);
      },
    });
  }

  /** One finished procedure call; a refusal by a limit is counted under its scope too. */
  procedureDone(procedure: string, seconds: number, error: { code: string; cause?: unknown } | null): void {
    this.procedureSeconds.observe({ procedure }, seconds);
    if (!error) return;
    this.procedureErrors.inc({ procedure, code: error.code });
    if (error.cause instanceof RateLimitedError) this.refused(error.cause.scope);
    if (error.cause instanceof DatabaseBusyError) this.databaseBusy("trpc");
  }

  /** A request refused because it waited too long for a database connection. */
  databaseBusy(api: "trpc" | "http"): void {
    this.busy.inc({ api });
  }

  /** One HTTP answer; `route` is the registered pattern (never the path itself, which holds ids). */
  httpAnswered(route: string, method: string, status: number): void {
    this.httpRequests.inc({ route, method, status: `${Math.floor(status / 100)}xx` });
  }

  refused(scope: RateLimitedError["scope"]): void {
    this.refusals.inc({ scope });
  }

  pushed(outcomes: { applied: number; rejected: number; replayed: number }): void {
    this.pushes.inc();
    for (const [outcome, n] of Object.entries(outcomes)) if (n) this.pushedMutations.inc({ outcome }, n);
  }

  pulled(changes: number, behind: number): void {
    this.pulls.inc();
    if (changes) this.pulledChanges.inc(changes);
    this.pullLag.observe(Math.max(0, behind));
  }

  /**
   * Runs a scheduled job and counts it. `work` answers whether it ran (false when another process
   * already had this run) and how many workspaces it gave up on.
   */
  async job<T extends { ran: boolean; failedTenants?: number }>(job: string, work: () => Promise<T>): Promise<T> {
    const end = this.jobSeconds.startTimer({ job });
    try {
      const result = await work();
      this.jobRuns.inc({ job, outcome: result.ran ? "ran" : "skipped" });
      if (result.failedTenants) this.jobTenantFailures.inc({ job }, result.failedTenants);
      return result;
    } catch (err) {
      this.jobRuns.inc({ job, outcome: "failed" });
      throw err;
    } finally {
      end();
    }
  }

  /** The text Prometheus scrapes. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
