import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { TRPCClientError } from "@trpc/client";
import { AttachmentFiles } from "./attachments/attachment-files.js";
import { IdlePrompt } from "./attention/idle-prompt.js";
import { Attachments } from "./attachments/attachments.js";
import { LocalError } from "./errors.js";
import { afterEachSync, announceSyncs, ChangeFeed } from "./events/change-feed.js";
import type { SecretBox } from "./session/secret-box.js";
import { preferencesSchema, type Preferences } from "./settings/preferences.js";
import type { SettingsStore } from "./settings/settings.js";
import { AttachmentStore } from "./store/attachments.js";
import { CatalogStore } from "./store/catalog.js";
import { EntryStore, type LocalEntry } from "./store/entries.js";
import { openLocalDb, type LocalDb } from "./store/local-db.js";
import { isAttachmentMutation, Outbox } from "./store/outbox.js";
import { SyncStateStore } from "./store/sync-state.js";
import { SyncEngine } from "./sync/engine.js";
import { UNDO_DELETE_MS } from "./timer/undo-window.js";
import { CsvExports } from "./exports/csv-exports.js";
import { OnlineCalls } from "./online/online-calls.js";
import { OnlineAnswerStore } from "./store/online-answers.js";
import { fetchWithDeadline, reachServer, serverClient, serverTransport, untypedServerClient } from "./sync/server-transport.js";
import { OfflineError, type SyncTransport } from "./sync/transport.js";
import { TimeTracker, type Scope } from "./timer/time-tracker.js";
import { wipeWorkspace, workspacesOnDevice } from "./workspace-data.js";

export interface DesktopCoreOptions {
  /** The app's data folder: the SQLite file and the attachments' copies live here. */
  dataDir: string;
  settings: SettingsStore;
  secretBox: SecretBox;
  /** For tests: a transport other than HTTP to settings.serverUrl. */
  transport?: SyncTransport;
  fetch?: typeof fetch;
  /** How long one server request may go unanswered (default 30 s). */
  requestTimeoutMs?: number;
  now?: () => number;
  random?: () => number;
  /** How long a deleted entry can be brought back (sync holds the deletion as long); default UNDO_DELETE_MS. */
  undoWindowMs?: number;
}

/**
 * The whole desktop app without its window: local store, timer, settings,
 * session and sync, wired together. Plain Node: it never imports Electron.
 */
export class DesktopCore {
  readonly db: LocalDb;
  readonly entries: EntryStore;
  readonly outbox: Outbox;
  readonly catalog: CatalogStore;
  readonly syncState: SyncStateStore;
  readonly tracker: TimeTracker;
  readonly attachments: Attachments;
  readonly attachmentStore: AttachmentStore;
  readonly engine: SyncEngine;
  /** Fired after local writes and around syncs: what the UI refreshes on. */
  readonly changes = new ChangeFeed();
  /** "You were away: keep that time?" (raised by the idle adapter, answered in the window). */
  readonly idle: IdlePrompt;
  /** The views that need the server (review, workspace admin, reports). */
  readonly online: OnlineCalls;
  /** The server's sync and file routes, with this device's session. */
  readonly transport: SyncTransport;
  /** CSV exports of entries and report totals, fetched with the session and saved to a file. */
  readonly exports: CsvExports;
  private readonly settings: SettingsStore;
  private readonly secretBox: SecretBox;
  /** For account calls (sign in, workspaces, sign out): each request ends at its deadline. */
  private readonly fetchImpl: typeof fetch;

  constructor(opts: DesktopCoreOptions) {
    this.settings = opts.settings;
    this.secretBox = opts.secretBox;
    this.fetchImpl = fetchWithDeadline(opts.requestTimeoutMs ?? 30_000, opts.fetch);
    this.db = openLocalDb(path.join(opts.dataDir, "hoursync.sqlite"));
    this.entries = new EntryStore(this.db);
    this.outbox = new Outbox(this.db);
    this.catalog = new CatalogStore(this.db);
    this.syncState = new SyncStateStore(this.db);
    const undoWindowMs = opts.undoWindowMs ?? UNDO_DELETE_MS;
    this.tracker = new TimeTracker(this.db, this.entries, this.outbox, this.catalog, opts.now, randomUUID, undoWindowMs);
    const transport =
      opts.transport ??
      serverTransport(() => this.settings.get("serverUrl"), () => this.token(), opts.fetch, { requestMs: opts.requestTimeoutMs });
    this.transport = transport;
    const attachmentStore = (this.attachmentStore = new AttachmentStore(this.db));
    const files = new AttachmentFiles(opts.dataDir);
    this.attachments = new Attachments(this.db, attachmentStore, this.entries, this.outbox, files, transport, opts.now);
    this.attachments.sweep();
    this.engine = new SyncEngine(
      this.db,
      {
        entries: this.entries,
        outbox: this.outbox,
        catalog: this.catalog,
        syncState: this.syncState,
        attachments: attachmentStore,
        files,
      },
      transport,
      {
        clientId: () => this.settings.get("clientId"),
        renewClientId: () => this.renewClientId(),
        deviceName: this.settings.get("deviceName"),
        intervalMs: this.settings.get("syncIntervalSeconds") * 1000,
        now: opts.now,
        random: opts.random,
        deletionHoldMs: undoWindowMs,
      },
    );
    announceSyncs(this.engine, this.changes);
    // A role or membership changed on the server shows after the next sync: the workspace list (with roles) is read again.
    afterEachSync(this.engine, () =>
      this.refreshWorkspaces().then(
        () => this.changes.emit(["session"]),
        () => undefined,
      ),
    );
    this.idle = new IdlePrompt(this.tracker, this.changes, opts.now);
    this.online = new OnlineCalls(
      new OnlineAnswerStore(this.db),
      (workspaceId) => untypedServerClient(this.settings.get("serverUrl"), { token: () => this.token(), workspaceId }, this.fetchImpl),
      opts.now,
    );
    this.exports = new CsvExports(
      path.join(opts.dataDir, "exports"),
      () => ({ serverUrl: this.settings.get("serverUrl"), token: this.token() }),
      this.changes,
      opts.fetch,
    );
  }

  private token(): string | null {
    const session = this.settings.get("session");
    return session ? this.secretBox.open(session.token) : null;
  }

  /** Where the user works right now; throws when signed out or no workspace is chosen. */
  scope(): Scope {
    const session = this.settings.get("session");
    if (!session) throw new LocalError("NOT_SIGNED_IN", "Sign in first");
    const workspaceId = this.settings.get("currentWorkspaceId");
    if (!workspaceId) throw new LocalError("NO_WORKSPACE", "Choose a workspace");
    return { workspaceId, userId: session.userId };
  }

  status() {
    const session = this.settings.get("session");
    return {
      serverUrl: this.settings.get("serverUrl"),
      user: session ? { id: session.userId, email: session.email, name: session.name } : null,
      workspaces: this.settings.get("workspaces"),
      currentWorkspaceId: this.settings.get("currentWorkspaceId"),
      tokenEncrypted: this.secretBox.encrypted,
    };
  }

  /** The person's choices from the Settings screen, with the sync interval (which applies at once). */
  preferences(): Preferences & { syncIntervalSeconds: number } {
    return { ...this.settings.get("preferences"), syncIntervalSeconds: this.settings.get("syncIntervalSeconds") };
  }

  updatePreferences(patch: Partial<Preferences> & { syncIntervalSeconds?: number }) {
    const { syncIntervalSeconds, ...rest } = patch;
    const next = preferencesSchema.parse({ ...this.settings.get("preferences"), ...rest });
    this.settings.set("preferences", next);
    if (syncIntervalSeconds !== undefined) {
      this.settings.set("syncIntervalSeconds", syncIntervalSeconds);
      this.engine.setInterval(syncIntervalSeconds * 1000);
    }
    this.changes.emit(["settings"]);
    return this.preferences();
  }

  private renewClientId(): string {
    const fresh = randomUUID();
    this.settings.set("clientId", fresh);
    return fresh;
  }

  /** Signs in (see adoptSession), joining a workspace first when an invitation is given. */
  async logIn(input: { serverUrl: string; email: string; password: string; discardUnsynced?: boolean; invitationToken?: string }) {
    const anonymous = serverClient(input.serverUrl, { token: () => null }, this.fetchImpl);
    let res;
    try {
      res = await reachServer(() => anonymous.auth.logIn.mutate({ email: input.email, password: input.password }));
    } catch (err) {
      throw serverRefusal(err);
    }
    if (input.invitationToken) await this.acceptWith(input.serverUrl, res.token, input.invitationToken);
    await this.adoptSession(input.serverUrl, res, input.discardUnsynced ?? false);
    return this.status();
  }

  /**
   * Joins through an invitation with a fresh session. A refused invitation ends that session
   * (nothing is kept), so the person stays on the sign-in screen with the reason.
   */
  private async acceptWith(serverUrl: string, token: string, invitationToken: string) {
    const signedIn = serverClient(serverUrl, { token: () => token }, this.fetchImpl);
    try {
      await reachServer(() => signedIn.auth.acceptInvitation.mutate({ token: invitationToken }));
    } catch (err) {
      await reachServer(() => signedIn.auth.logOut.mutate()).catch(() => undefined);
      throw serverRefusal(err);
    }
  }

  /**
   * Asks the server for an account (joining through `invitationToken`, or owning a new
   * workspace): the server mails a code that `confirmSignUp` takes.
   */
  async signUp(input: { serverUrl: string; email: string; password: string; name: string; invitationToken?: string; workspaceName?: string }) {
    const { serverUrl, ...request } = input;
    const anonymous = serverClient(serverUrl, { token: () => null }, this.fetchImpl);
    try {
      return await reachServer(() => anonymous.auth.signUp.mutate(request));
    } catch (err) {
      throw serverRefusal(err);
    }
  }

  /** The code from the sign-up mail: the account exists now, and this device signs in with it. */
  async confirmSignUp(input: { serverUrl: string; code: string; discardUnsynced?: boolean }) {
    const anonymous = serverClient(input.serverUrl, { token: () => null }, this.fetchImpl);
    let res;
    try {
      res = await reachServer(() => anonymous.auth.confirmSignUp.mutate({ code: input.code }));
    } catch (err) {
      throw serverRefusal(err);
    }
    await this.adoptSession(input.serverUrl, res, input.discardUnsynced ?? false);
    if (this.settings.get("workspaces").some((w) => w.workspaceId === res.workspaceId)) this.settings.set("currentWorkspaceId", res.workspaceId);
    return this.status();
  }

  /**
   * Keeps a new session on this device. The device's id and data belong to one person: when
   * someone else signs in, the previous person's data leaves the device (refused while their
   * changes are unsynced, unless `discardUnsynced`) and the device gets a new id, so nothing
   * of theirs is ever sent as someone else.
   */
  private async adoptSession(serverUrl: string, res: { token: string; user: { id: string; email: string; name: string } }, discardUnsynced: boolean) {
    const owner = this.settings.get("deviceOwner") ?? this.settings.get("session");
    if (owner && owner.userId !== res.user.id) {
      const unsynced = workspacesOnDevice(this.db).reduce((n, ws) => n + this.outbox.count(ws), 0);
      if (unsynced > 0 && !discardUnsynced) {
        // Not kept: the new person's session ends here.
        const signedIn = serverClient(serverUrl, { token: () => res.token }, this.fetchImpl);
        await reachServer(() => signedIn.auth.logOut.mutate()).catch(() => undefined);
        throw new LocalError(
          "UNSYNCED_CHANGES",
          `${owner.email} has ${unsynced} unsynced change(s) on this device. Sign in as ${owner.email} to sync them, or discard them.`,
        );
      }
      this.engine.stop();
      this.wipeDevice();
      this.renewClientId();
    }
    this.settings.set("deviceOwner", { userId: res.user.id, email: res.user.email });
    this.settings.set("serverUrl", serverUrl);
    this.settings.set("session", {
      userId: res.user.id,
      email: res.user.email,
      name: res.user.name,
      token: this.secretBox.seal(res.token),
    });
    await this.refreshWorkspaces();
  }

  /** The signed-in person joins another workspace with an invitation's token, and switches to it. */
  async acceptInvitation(invitationToken: string) {
    const client = serverClient(this.settings.get("serverUrl"), { token: () => this.token() }, this.fetchImpl);
    let joined;
    try {
      joined = await reachServer(() => client.auth.acceptInvitation.mutate({ token: invitationToken }));
    } catch (err) {
      throw serverRefusal(err);
    }
    await this.refreshWorkspaces();
    return this.selectWorkspace(joined.workspaceId);
  }

  async refreshWorkspaces() {
    const client = serverClient(this.settings.get("serverUrl"), { token: () => this.token() }, this.fetchImpl);
    const list = await reachServer(() => client.auth.workspaces.query());
    this.settings.set("workspaces", list);
    const current = this.settings.get("currentWorkspaceId");
    if (!current || !list.some((w) => w.workspaceId === current)) {
      this.settings.set("currentWorkspaceId", list[0]?.workspaceId ?? null);
    }
    return list;
  }

  selectWorkspace(workspaceId: string) {
    if (!this.settings.get("workspaces").some((w) => w.workspaceId === workspaceId)) {
      throw new LocalError("NOT_FOUND", "You are not a member of that workspace");
    }
    this.settings.set("currentWorkspaceId", workspaceId);
    return this.status();
  }

  /**
   * Removes a workspace's data from this device. Refuses while changes are
   * still unsynced, unless the user confirmed losing them.
   */
  forgetWorkspace(workspaceId: string, discardUnsynced = false) {
    const unsynced = this.outbox.count(workspaceId);
    if (unsynced > 0 && !discardUnsynced) {
      throw new LocalError("UNSYNCED_CHANGES", `${unsynced} change(s) of this workspace are not synced yet`);
    }
    wipeWorkspace(this.db, workspaceId);
    this.attachments.forgetWorkspace(workspaceId);
    if (this.settings.get("currentWorkspaceId") === workspaceId) this.settings.set("currentWorkspaceId", null);
  }

  /** Signs out: tries a last sync, then removes every workspace's data (see forgetWorkspace). */
  async logOut(discardUnsynced = false) {
    const local = workspacesOnDevice(this.db);
    await this.syncNow().catch(() => undefined);
    const unsynced = local.reduce((n, ws) => n + this.outbox.count(ws), 0);
    if (unsynced > 0 && !discardUnsynced) {
      throw new LocalError("UNSYNCED_CHANGES", `${unsynced} change(s) are not synced yet`);
    }
    const client = serverClient(this.settings.get("serverUrl"), { token: () => this.token() }, this.fetchImpl);
    await reachServer(() => client.auth.logOut.mutate()).catch(() => undefined);
    this.engine.stop();
    this.wipeDevice();
    this.settings.set("session", null);
    this.settings.set("workspaces", []);
    this.settings.set("currentWorkspaceId", null);
    return this.status();
  }

  /** Removes every workspace's data from the device (the caller has settled what was unsynced). */
  private wipeDevice() {
    for (const ws of workspacesOnDevice(this.db)) {
      wipeWorkspace(this.db, ws);
      this.attachments.forgetWorkspace(ws);
    }
  }

  /** Workspaces to sync: the current one and any with changes waiting. */
  workspacesToSync(): string[] {
    if (!this.settings.get("session")) return [];
    const current = this.settings.get("currentWorkspaceId");
    const waiting = workspacesOnDevice(this.db).filter((ws) => this.outbox.countPending(ws) > 0);
    return [...new Set([...(current ? [current] : []), ...waiting])];
  }

  syncNow() {
    return this.engine.syncNow(this.workspacesToSync());
  }

  startBackgroundSync() {
    this.engine.start(() => this.workspacesToSync());
  }

  syncStatus(workspaceId: string) {
    const state = this.syncState.get(workspaceId);
    return {
      pending: this.outbox.countPending(workspaceId),
      rejected: this.outbox.rejected(workspaceId).map((r) => ({
        mutationId: r.mutationId,
        name: r.name,
        entityId: r.entityId,
        reason: r.reason,
        message: r.message,
        // A refused deletion's entry is hidden here: show what the server still has.
        entry: this.entries.get(workspaceId, r.entityId) ?? this.entries.serverVersion(workspaceId, r.entityId),
        // For attachment changes (entityId is the attachment's id).
        attachment: isAttachmentMutation(r.name) ? this.attachmentStore.get(workspaceId, r.entityId) : null,
      })),
      lastSyncedAt: state.lastSyncedAt,
      lastError: state.lastError,
      ...this.engine.activity(),
    };
  }

  /**
   * Gives up a refused change: the entry returns to exactly what the server
   * has (also after a refused deletion), or disappears if the server never
   * had it; a refused upload's file goes, an attachment whose removal was
   * refused comes back.
   */
  discardRejected(workspaceId: string, mutationId: number): LocalEntry | null {
    const item = this.outbox.get(mutationId);
    if (!item || item.workspaceId !== workspaceId) throw new LocalError("NOT_FOUND", "No such change");
    if (isAttachmentMutation(item.name)) {
      this.attachments.discardRejected(workspaceId, item);
      return null;
    }
    return this.db.transaction(() => {
      this.outbox.dropEntity(workspaceId, item.entityId);
      const server = this.entries.serverVersion(workspaceId, item.entityId);
      if (server) this.entries.put(server);
      else this.entries.remove(workspaceId, item.entityId);
      return server;
    })();
  }

  close() {
    this.engine.stop();
    this.db.close();
  }
}

/** A server refusal or an outage, as a LocalError the UI can show. */
export function serverRefusal(err: unknown): LocalError {
  if (err instanceof OfflineError) return new LocalError("SERVER", "The server cannot be reached");
  if (err instanceof TRPCClientError) return new LocalError("SERVER", err.message);
  return new LocalError("SERVER", err instanceof Error ? err.message : String(err));
}

export function defaultDeviceName(): string {
  return `${os.hostname()} (${process.platform})`;
}
