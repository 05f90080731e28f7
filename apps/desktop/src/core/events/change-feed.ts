import { EventEmitter, on } from "node:events";

/** What changed, so a screen refreshes only what it shows. */
/** "online": what only the server knows (review queue, workspace admin, reports). */
/** "exports": a CSV export's progress. */
export type ChangeTopic = "session" | "entries" | "catalog" | "attachments" | "sync" | "settings" | "online" | "exports";

export interface ChangeEvent {
  topics: ChangeTopic[];
  at: number;
}

/**
 * The core's "something changed" signal: fired after local writes and around syncs, so the UI
 * refreshes its queries when the data moves instead of polling for it.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open window or browser tab is a listener; a handful is normal.
    this.emitter.setMaxListeners(100);
  }

  emit(topics: ChangeTopic[]): void {
    this.emitter.emit("change", { topics, at: Date.now() } satisfies ChangeEvent);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  /** The feed as an async stream, ended by `signal` (a tRPC subscription's lifetime). */
  async *stream(signal?: AbortSignal): AsyncGenerator<ChangeEvent> {
    try {
      for await (const [event] of on(this.emitter, "change", { signal })) yield event as ChangeEvent;
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  }
}

/** Anything with the sync engine's `syncNow`: wrapped so each run's start and end are announced. */
interface Syncing {
  syncNow(workspaceIds: string[]): Promise<unknown>;
}

/**
 * Announces sync runs (asked for or automatic: the engine's timer calls the same `syncNow`),
 * without the engine knowing about the UI.
 */
export function announceSyncs(engine: Syncing, feed: ChangeFeed): void {
  const original = engine.syncNow.bind(engine);
  engine.syncNow = (workspaceIds: string[]) => {
    const run = original(workspaceIds);
    feed.emit(["sync"]);
    // After a sync the server's views may have moved too (a submission, a decision): open ones reload.
    const settled = () => feed.emit(["sync", "entries", "catalog", "attachments", "session", "online"]);
    run.then(settled, settled);
    return run as never;
  };
}

/** Runs `then` after every successful sync run (asked for or automatic), without the engine knowing. */
export function afterEachSync(engine: Syncing, then: () => Promise<unknown>): void {
  const original = engine.syncNow.bind(engine);
  engine.syncNow = (workspaceIds: string[]) => {
    const run = original(workspaceIds);
    run.then(
      () => void then(),
      () => undefined,
    );
    return run as never;
  };
}
