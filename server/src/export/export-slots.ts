import { RateLimitedError } from "../rate-limit/errors.js";

export interface ExportCaps {
  /** Exports one workspace may run at once in this process. */
  perWorkspace: number;
  /** Exports one person may run at once in this process, across workspaces. */
  perUser: number;
}

/** How long a refused export is told to wait: exports of a large range take seconds. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Places for exports running at once, per workspace and per person. An
 * export is long (a year of entries) and paced by its client, so without a
 * cap one company could keep any number of them open. Counted per process:
 * what they use (sockets, memory, turns at the database) is per process too.
 */
export class ExportSlots {
  private readonly running = new Map<string, number>();

  constructor(private readonly caps: ExportCaps) {}

  /** Takes a place, or throws RateLimitedError; the returned function gives it back (once). */
  take(tenantId: string, userId: string): () => void {
    const keys: [string, number][] = [
      [`workspace:${tenantId}`, this.caps.perWorkspace],
      [`user:${userId}`, this.caps.perUser],
    ];
    if (keys.some(([key, cap]) => (this.running.get(key) ?? 0) >= cap)) {
      throw new RateLimitedError("export", RETRY_AFTER_SECONDS);
    }
    for (const [key] of keys) this.running.set(key, (this.running.get(key) ?? 0) + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      for (const [key] of keys) {
        const left = (this.running.get(key) ?? 1) - 1;
        if (left > 0) this.running.set(key, left);
        else this.running.delete(key);
      }
    };
  }

  /** Runs `work` in a place of its own (RateLimitedError when there is none), given back when it ends. */
  async run<T>(tenantId: string, userId: string, work: () => Promise<T>): Promise<T> {
    const release = this.take(tenantId, userId);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
