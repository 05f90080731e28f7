import type { AttachmentFiles } from "../attachments/attachment-files.js";
import type { AttachmentStore } from "../store/attachments.js";
import type { CatalogStore } from "../store/catalog.js";
import type { EntryStore, PushedEntry } from "../store/entries.js";
import type { LocalDb } from "../store/local-db.js";
import { isAttachmentMutation, type Outbox, type OutboxItem } from "../store/outbox.js";
import type { SyncStateStore } from "../store/sync-state.js";
import { applyPullPage } from "./apply-pull.js";
import { sendAttachmentChange } from "./attachment-sender.js";
import { backoffDelay } from "./backoff.js";
import { describeSyncError } from "./sync-errors.js";
import { OfflineError, RequestRefusedError, type PushResult, type SyncTransport } from "./transport.js";

export interface SyncEngineOptions {
  /** This device's id for sync, read at every run (a new person on the device gets a new one). */
  clientId: () => string;
  /** Gives the device a new id: the server says the current one is someone else's. */
  renewClientId?: () => string;
  deviceName: string;
  /** Mutations per push request. */
  batchSize?: number;
  /** Rows per pull page. */
  pullLimit?: number;
  /** Regular sync interval while everything works. */
  intervalMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
  /** Deletions of entries wait this long before they are sent, so undo can still cancel them (0 = at once). */
  deletionHoldMs?: number;
}

export interface SyncReport {
  workspaceId: string;
  pushed: number;
  applied: number;
  rejected: number;
  pulled: number;
}

export interface SyncStores {
  entries: EntryStore;
  outbox: Outbox;
  catalog: CatalogStore;
  syncState: SyncStateStore;
  attachments: AttachmentStore;
  files: AttachmentFiles;
}

/** How background sync stands, for the status the user sees. */
export interface SyncActivity {
  running: boolean;
  consecutiveFailures: number;
  /** When the next automatic attempt is due (epoch ms), or null when background sync is off. */
  nextAttemptAt: number | null;
}

/** What the outbox sends next: an attachment change alone, or a batch of entry changes. */
type Work = { kind: "attachment"; change: OutboxItem } | { kind: "batch"; batch: OutboxItem[] };

interface Run {
  controller: AbortController;
  promise: Promise<SyncReport[]>;
}

/**
 * Pushes the outbox, then pulls, for one workspace at a time. Every answer
 * is recorded in one local transaction (a push's while the next batch is on
 * its way), so killing the process at any instruction loses nothing:
 * unrecorded mutations are pushed again (the server answers replays from
 * its record) and the cursor only moves with the rows it covers.
 *
 * Attachment uploads and deletions are outbox items too, but each is its own
 * request: a batch goes up to the first of them, then it is sent, then the
 * next batch, so the server sees everything in outbox order.
 *
 * Nothing can hold the outbox: every request has a deadline, a run can be
 * abandoned for a fresh one (the connection changed), and a batch the server
 * refuses as a whole is split until the one change it cannot take is found
 * and refused on its own.
 */
export class SyncEngine {
  private readonly opts: Required<Omit<SyncEngineOptions, "renewClientId">> & Pick<SyncEngineOptions, "renewClientId">;
  private run: Run | null = null;
  private timer: NodeJS.Timeout | null = null;
  private dueAt: number | null = null;
  private failures = 0;
  private stopped = true;
  private workspaces: () => string[] = () => [];
  /** The earliest instant a held deletion may be sent, seen by the last run (null: none held). */
  private heldUntil: number | null = null;

  constructor(
    private readonly db: LocalDb,
    private readonly stores: SyncStores,
    private readonly transport: SyncTransport,
    opts: SyncEngineOptions,
  ) {
    this.opts = {
      batchSize: 1000,
      pullLimit: 1000,
      intervalMs: 60_000,
      backoffBaseMs: 1000,
      backoffMaxMs: 5 * 60_000,
      random: Math.random,
      now: Date.now,
      deletionHoldMs: 0,
      // Options left undefined keep their defaults.
      ...(Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SyncEngineOptions),
    };
  }

  /**
   * Syncs the given workspaces now. One run at a time: a caller joins the
   * running one, unless that run was abandoned, in which case a fresh run
   * starts as soon as the abandoned one has let go.
   */
  syncNow(workspaceIds: string[]): Promise<SyncReport[]> {
    if (this.run && !this.run.controller.signal.aborted) return this.run.promise;
    const previous = this.run?.promise.catch(() => undefined) ?? Promise.resolve();
    const controller = new AbortController();
    const promise = previous.then(() => this.runAll(workspaceIds, controller.signal));
    const run: Run = { controller, promise };
    this.run = run;
    const settle = (ok: boolean, err?: unknown) => {
      if (this.run === run) this.run = null;
      // An abandoned run says nothing about the server; the run that replaced it will.
      if (ok || !controller.signal.aborted) this.account(ok, err);
    };
    promise.then(
      () => settle(true),
      (err) => settle(false, err),
    );
    return promise;
  }

  private async runAll(workspaceIds: string[], signal: AbortSignal): Promise<SyncReport[]> {
    const reports: SyncReport[] = [];
    this.heldUntil = null;
    for (const ws of workspaceIds) {
      try {
        reports.push(await this.syncWorkspace(ws, signal));
      } catch (err) {
        this.stores.syncState.recordError(ws, describeSyncError(err));
        throw err;
      }
    }
    return reports;
  }

  async syncWorkspace(workspaceId: string, signal?: AbortSignal): Promise<SyncReport> {
    const report: SyncReport = { workspaceId, pushed: 0, applied: 0, rejected: 0, pulled: 0 };
    await this.register(workspaceId, signal);
    await this.push(workspaceId, report, signal);
    await this.pull(workspaceId, report, signal);
    this.stores.syncState.recordSuccess(workspaceId, this.opts.now());
    return report;
  }

  /** Registers the device's current id in the workspace once; a taken id is renewed. */
  private async register(workspaceId: string, signal?: AbortSignal): Promise<string> {
    const clientId = this.opts.clientId();
    if (this.stores.syncState.get(workspaceId).registeredClient === clientId) return clientId;
    try {
      await this.transport.registerClient(workspaceId, clientId, this.opts.deviceName, signal);
    } catch (err) {
      if (!(err instanceof RequestRefusedError && err.reason === "DEVICE_TAKEN" && this.opts.renewClientId)) throw err;
      const fresh = this.opts.renewClientId();
      await this.transport.registerClient(workspaceId, fresh, this.opts.deviceName, signal);
      this.stores.syncState.setRegistered(workspaceId, fresh);
      return fresh;
    }
    this.stores.syncState.setRegistered(workspaceId, clientId);
    return clientId;
  }

  /**
   * Sends the outbox in order. While the server decides one batch, the device records the answer
   * to the one before: the next batch goes out as soon as an answer arrives, and its own answer is
   * read only after the previous one is recorded, so answers are still recorded in order.
   */
  private async push(workspaceId: string, report: SyncReport, signal?: AbortSignal): Promise<void> {
    let after = 0;
    let sent: { batch: OutboxItem[]; attempt: Promise<PushResult[]> } | null = null;
    for (;;) {
      const work: Work | null = sent ? { kind: "batch", batch: sent.batch } : this.nextWork(workspaceId, after);
      if (!work) return;
      if (work.kind === "attachment") {
        await this.sendAttachment(workspaceId, work.change, report, signal);
        after = work.change.mutationId;
        continue;
      }
      const { batch } = work;
      const attempt = sent?.attempt ?? this.send(workspaceId, batch, signal);
      sent = null;
      after = batch[batch.length - 1]!.mutationId;
      let results: PushResult[];
      try {
        results = await attempt;
      } catch {
        // Refused as a whole, or no answer: handled as a batch sent alone (split, or the run fails).
        await this.pushBatch(workspaceId, batch, report, signal, attempt);
        continue;
      }
      const next = this.nextWork(workspaceId, after);
      if (next?.kind === "batch") {
        const nextAttempt = this.send(workspaceId, next.batch, signal);
        nextAttempt.catch(() => {}); // read in the next round; until then its failure is not unhandled
        sent = { batch: next.batch, attempt: nextAttempt };
        await new Promise((resolve) => setImmediate(resolve)); // lets the request leave before the thread records
      }
      this.record(workspaceId, batch, results, report);
    }
  }

  /** The next pending changes after mutation `after`: one attachment change alone, or a batch of the rest up to the next one. */
  private nextWork(workspaceId: string, after: number): Work | null {
    const queued = this.stores.outbox.pendingAfter(workspaceId, after, this.opts.batchSize);
    // A deletion still in its undo window holds it and everything after it (outbox order is kept).
    const held = queued.findIndex((m) => this.isHeld(m));
    if (held !== -1) {
      const until = queued[held]!.createdAt + this.opts.deletionHoldMs;
      this.heldUntil = Math.min(this.heldUntil ?? until, until);
    }
    const pending = held === -1 ? queued : queued.slice(0, held);
    if (pending.length === 0) return null;
    const cut = pending.findIndex((m) => isAttachmentMutation(m.name));
    if (cut === 0) return { kind: "attachment", change: pending[0]! };
    return { kind: "batch", batch: cut === -1 ? pending : pending.slice(0, cut) };
  }

  private isHeld(m: OutboxItem): boolean {
    return m.name === "entry.delete" && m.createdAt + this.opts.deletionHoldMs > this.opts.now();
  }

  /** Sends a batch as the registered device; a server that forgot the device (or finds it taken) gets it again, once. */
  private async send(workspaceId: string, batch: OutboxItem[], signal?: AbortSignal): Promise<PushResult[]> {
    const mutations = batch.map((m) => ({ mutationId: m.mutationId, name: m.name, args: m.args }));
    const clientId = await this.register(workspaceId, signal);
    try {
      return await this.transport.push(workspaceId, clientId, mutations, signal);
    } catch (err) {
      if (!(err instanceof RequestRefusedError)) throw err;
      if (err.reason === "UNKNOWN_DEVICE") this.stores.syncState.setRegistered(workspaceId, null);
      else if (err.reason === "DEVICE_TAKEN" && this.opts.renewClientId) this.opts.renewClientId();
      else throw err;
      return this.transport.push(workspaceId, await this.register(workspaceId, signal), mutations, signal);
    }
  }

  private async pushBatch(
    workspaceId: string,
    batch: OutboxItem[],
    report: SyncReport,
    signal?: AbortSignal,
    attempt: Promise<PushResult[]> = this.send(workspaceId, batch, signal),
  ): Promise<void> {
    let results: PushResult[];
    try {
      results = await attempt;
    } catch (err) {
      // Refused as a whole for what it carries (or the server failed on it): split it, so the
      // changes before the one at fault still go, and that one is found. A busy server is not
      // failing on the batch: splitting would only send it more requests.
      const splittable = err instanceof RequestRefusedError && !err.isServerBusy && (err.isInputProblem || err.status >= 500);
      if (!splittable) throw err;
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.pushBatch(workspaceId, batch.slice(0, half), report, signal);
        await this.pushBatch(workspaceId, batch.slice(half), report, signal);
        return;
      }
      // One change the server can never take as sent: refused here, so the ones after it go on.
      if (!err.isInputProblem) throw err;
      results = [{ mutationId: batch[0]!.mutationId, status: "rejected", reason: "VALIDATION", message: err.message }];
    }
    this.record(workspaceId, batch, results, report);
  }

  private record(workspaceId: string, batch: OutboxItem[], results: PushResult[], report: SyncReport): void {
    const { outbox, entries } = this.stores;
    const byId = new Map(results.map((r) => [r.mutationId, r]));
    if (batch.some((m) => !byId.has(m.mutationId))) {
      throw new Error("The server did not answer every mutation of the batch");
    }
    this.db.transaction(() => {
      outbox.markAppliedMany(batch.filter((m) => byId.get(m.mutationId)!.status === "applied").map((m) => m.mutationId));
      for (const m of batch) {
        const r = byId.get(m.mutationId)!;
        if (r.status === "applied") {
          // What the server now holds is exactly what was sent (its pulls leave out this device's own writes).
          if (m.name === "entry.put") entries.confirmPushed(workspaceId, m.args as PushedEntry, m.createdAt);
          report.applied++;
        } else {
          outbox.markRejected(m.mutationId, r.reason, r.message);
          report.rejected++;
        }
      }
      // A later change that went through supersedes the earlier refusals of the same entry.
      if (outbox.hasRejected(workspaceId)) {
        for (const m of batch) {
          if (byId.get(m.mutationId)!.status === "applied") outbox.dropRejectedBefore(workspaceId, m.entityId, m.mutationId);
        }
      }
      entries.purgeSettledDeletions(workspaceId);
    })();
    report.pushed += batch.length;
  }

  private async sendAttachment(workspaceId: string, m: OutboxItem, report: SyncReport, signal?: AbortSignal): Promise<void> {
    const status = await sendAttachmentChange(this.db, this.stores, this.transport, workspaceId, m, signal);
    report.pushed++;
    report[status]++;
  }

  private async pull(workspaceId: string, report: SyncReport, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const cursor = this.stores.syncState.get(workspaceId).cursor;
      const request = { cursor, limit: this.opts.pullLimit, clientId: this.stores.syncState.get(workspaceId).registeredClient ?? undefined };
      const page = await this.transport.pull(workspaceId, request, signal);
      const leftovers = this.db.transaction(() => {
        const files = applyPullPage(workspaceId, page, this.stores);
        this.stores.syncState.setCursor(workspaceId, page.cursor);
        return files;
      })();
      for (const file of leftovers) this.stores.files.remove(file);
      report.pulled +=
        page.entries.length +
        page.projects.length +
        page.tasks.length +
        page.tags.length +
        page.clients.length +
        (page.attachments?.length ?? 0) +
        page.deletions.length;
      if (!page.hasMore) return;
    }
  }

  /** Background sync: regularly, and with backoff after failures. `workspaces` says what to sync each time. */
  start(workspaces: () => string[]): void {
    this.workspaces = workspaces;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
    this.run?.controller.abort();
  }

  /**
   * The connection came back or changed, or the machine woke: whatever run
   * is in flight may be talking into a dead socket, so it is abandoned and
   * a fresh one starts now instead of waiting out the backoff.
   */
  nudge(): void {
    if (this.stopped) return;
    this.run?.controller.abort();
    this.failures = 0;
    this.schedule(0);
  }

  /** A new regular interval (the Settings screen): it applies now, not from the next launch. */
  setInterval(intervalMs: number): void {
    this.opts.intervalMs = intervalMs;
    // While failing, the backoff decides; otherwise the next attempt comes no later than the new interval.
    if (this.stopped || this.failures > 0 || this.run || this.dueAt === null) return;
    this.schedule(Math.min(Math.max(0, this.dueAt - this.opts.now()), intervalMs));
  }

  /**
   * Milliseconds until the next attempt after `failures` consecutive
   * failures: full jitter, but never sooner than half the base delay (a
   * jitter of zero must not turn retries into a busy loop).
   */
  nextDelay(failures: number): number {
    if (failures === 0) return this.opts.intervalMs;
    const jittered = backoffDelay(failures - 1, { baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs, random: this.opts.random });
    return Math.max(this.opts.backoffBaseMs / 2, jittered);
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  activity(): SyncActivity {
    return { running: this.run !== null, consecutiveFailures: this.failures, nextAttemptAt: this.dueAt };
  }

  /** Every run, asked for or automatic, counts: a failure backs the next automatic attempt off. */
  private account(ok: boolean, err?: unknown) {
    if (ok) this.failures = 0;
    // Unreachable or busy: both pass, so back off step by step (and as long as a busy server asks).
    else if (err instanceof OfflineError || (err instanceof RequestRefusedError && err.isServerBusy)) this.failures++;
    // The server answered but refused: no use hammering it.
    else this.failures = Math.max(this.failures + 1, 3);
    if (this.stopped) return;
    const asked = err instanceof RequestRefusedError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
    let delay = Math.max(this.nextDelay(this.failures), asked);
    // A held deletion goes as soon as its undo window has passed, not at the next interval.
    if (ok && this.heldUntil !== null) delay = Math.min(delay, Math.max(0, this.heldUntil - this.opts.now()) + 50);
    this.schedule(delay);
  }

  private schedule(delayMs: number) {
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = this.opts.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick() {
    this.timer = null;
    this.dueAt = null;
    if (this.stopped) return;
    // Accounting (and the next schedule) happens when the run settles.
    await this.syncNow(this.workspaces()).catch(() => undefined);
  }
}
