import type { AttachmentFiles } from "../attachments/attachment-files.js";
import type { AttachmentStore } from "../store/attachments.js";
import type { CatalogStore } from "../store/catalog.js";
import type { EntryStore } from "../store/entries.js";
import type { LocalDb } from "../store/local-db.js";
import { isAttachmentMutation, type Outbox, type OutboxItem } from "../store/outbox.js";
import type { SyncStateStore } from "../store/sync-state.js";
import { applyPullPage } from "./apply-pull.js";
import { sendAttachmentChange } from "./attachment-sender.js";
import { backoffDelay } from "./backoff.js";
import { OfflineError, type SyncTransport } from "./transport.js";

export interface SyncEngineOptions {
  clientId: string;
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

/**
 * Pushes the outbox, then pulls, for one workspace at a time. Every step
 * commits locally before the next request, so killing the process at any
 * instruction loses nothing: unacknowledged mutations are pushed again (the
 * server answers replays from its record) and the cursor only moves with
 * the rows it covers.
 *
 * Attachment uploads and deletions are outbox items too, but each is its own
 * request: a batch goes up to the first of them, then it is sent, then the
 * next batch, so the server sees everything in outbox order.
 */
export class SyncEngine {
  private readonly opts: Required<SyncEngineOptions>;
  private running: Promise<SyncReport[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;
  private workspaces: () => string[] = () => [];

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
      // Options left undefined keep their defaults.
      ...(Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SyncEngineOptions),
    };
  }

  /** Syncs the given workspaces now (one run at a time; a second caller joins the running one). */
  syncNow(workspaceIds: string[]): Promise<SyncReport[]> {
    if (!this.running) {
      this.running = this.runAll(workspaceIds).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async runAll(workspaceIds: string[]): Promise<SyncReport[]> {
    const reports: SyncReport[] = [];
    for (const ws of workspaceIds) {
      try {
        reports.push(await this.syncWorkspace(ws));
      } catch (err) {
        this.stores.syncState.recordError(ws, err instanceof Error ? err.message : String(err));
        throw err;
      }
    }
    return reports;
  }

  async syncWorkspace(workspaceId: string): Promise<SyncReport> {
    const report: SyncReport = { workspaceId, pushed: 0, applied: 0, rejected: 0, pulled: 0 };
    if (!this.stores.syncState.get(workspaceId).registered) {
      await this.transport.registerClient(workspaceId, this.opts.clientId, this.opts.deviceName);
      this.stores.syncState.setRegistered(workspaceId);
    }
    await this.push(workspaceId, report);
    await this.pull(workspaceId, report);
    this.stores.syncState.recordSuccess(workspaceId, this.opts.now());
    return report;
  }

  private async push(workspaceId: string, report: SyncReport): Promise<void> {
    const { outbox } = this.stores;
    for (;;) {
      const pending = outbox.pending(workspaceId, this.opts.batchSize);
      if (pending.length === 0) return;
      const cut = pending.findIndex((m) => isAttachmentMutation(m.name));
      if (cut === 0) await this.sendAttachment(workspaceId, pending[0]!, report);
      else await this.pushBatch(workspaceId, cut === -1 ? pending : pending.slice(0, cut), report);
    }
  }

  private async pushBatch(workspaceId: string, batch: OutboxItem[], report: SyncReport): Promise<void> {
    const { outbox } = this.stores;
    const results = await this.transport.push(
      workspaceId,
      this.opts.clientId,
      batch.map((m) => ({ mutationId: m.mutationId, name: m.name, args: m.args })),
    );
    const byId = new Map(results.map((r) => [r.mutationId, r]));
    if (batch.some((m) => !byId.has(m.mutationId))) {
      throw new Error("The server did not answer every mutation of the batch");
    }
    this.db.transaction(() => {
      for (const m of batch) {
        const r = byId.get(m.mutationId)!;
        if (r.status === "applied") {
          outbox.markApplied(m.mutationId);
          report.applied++;
        } else {
          outbox.markRejected(m.mutationId, r.reason, r.message);
          report.rejected++;
        }
      }
      // A later change that went through supersedes the earlier refusals of the same entry.
      for (const m of batch) {
        if (byId.get(m.mutationId)!.status === "applied") this.dropRejectedBefore(workspaceId, m.entityId, m.mutationId);
      }
    })();
    report.pushed += batch.length;
  }

  private async sendAttachment(workspaceId: string, m: OutboxItem, report: SyncReport): Promise<void> {
    const status = await sendAttachmentChange(this.db, this.stores, this.transport, workspaceId, m);
    report.pushed++;
    report[status]++;
  }

  private dropRejectedBefore(workspaceId: string, entityId: string, mutationId: number) {
    this.db
      .prepare(
        "DELETE FROM outbox WHERE workspace_id = ? AND entity_id = ? AND status = 'rejected' AND mutation_id < ?",
      )
      .run(workspaceId, entityId, mutationId);
  }

  private async pull(workspaceId: string, report: SyncReport): Promise<void> {
    for (;;) {
      const cursor = this.stores.syncState.get(workspaceId).cursor;
      const page = await this.transport.pull(workspaceId, cursor, this.opts.pullLimit);
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
  }

  /** Connectivity came back or the user asked: sync now instead of waiting out the backoff. */
  nudge(): void {
    if (this.stopped) return;
    this.failures = 0;
    this.schedule(0);
  }

  /** Milliseconds until the next attempt after `failures` consecutive failures. */
  nextDelay(failures: number): number {
    return failures === 0
      ? this.opts.intervalMs
      : backoffDelay(failures - 1, { baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs, random: this.opts.random });
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  private schedule(delayMs: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick() {
    if (this.stopped) return;
    try {
      await this.syncNow(this.workspaces());
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (!(err instanceof OfflineError)) this.failures = Math.max(this.failures, 3);
    }
    if (!this.stopped) this.schedule(this.nextDelay(this.failures));
  }
}
