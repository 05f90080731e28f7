import { randomUUID } from "node:crypto";
import { serverClient } from "../../apps/desktop/src/core/sync/server-transport.js";
import type { LoadUser, LoadWorkspace } from "./seed.js";
import type { Recorder } from "./recorder.js";

/**
 * One person of the mix: signed in to their workspace with a device, they
 * list their entries, add and edit entries, start and stop a timer, sync
 * from the device (push then pull), read their timesheets and reports, with
 * a random pause between calls. The weights are a working day's proportions
 * (reads outnumber writes).
 */
const MIX: [action: Action, weight: number][] = [
  ["entries.list", 26],
  ["entries.create", 10],
  ["entries.update", 8],
  ["timer", 6],
  ["sync.push", 12],
  ["sync.pull", 16],
  ["timesheets.mine", 12],
  ["reports.summary", 10],
];
type Action = "entries.list" | "entries.create" | "entries.update" | "timer" | "sync.push" | "sync.pull" | "timesheets.mine" | "reports.summary";
const TOTAL = MIX.reduce((a, [, w]) => a + w, 0);

function pick(): Action {
  let r = Math.random() * TOTAL;
  for (const [action, w] of MIX) if ((r -= w) < 0) return action;
  return MIX[0]![0];
}

/**
 * New finished entries of the run go from 2025-01-01, 20 minutes apart per
 * person, so they never overlap the history, each other, or a timer
 * started now (a running timer reaches into the future: nothing may start after it).
 */
const NEW_FROM = Date.UTC(2025, 0, 1);
const REPORT_FROM = new Date("2026-11-01T00:00:00Z");
const REPORT_TO = new Date("2026-12-01T00:00:00Z");

export class MixPerson {
  private readonly api;
  private readonly clientId = randomUUID();
  private mutationId = 0;
  private cursor = 0;
  private slot = 0;
  private readonly mine: string[] = [];

  constructor(
    url: string,
    private readonly user: LoadUser,
    private readonly workspace: LoadWorkspace,
  ) {
    this.api = serverClient(url, { token: () => user.token, workspaceId: workspace.id });
  }

  /** Registers the device and pulls what is there (not timed): the state of a device that has synced before. */
  async warmUp(): Promise<void> {
    await this.api.sync.registerClient.mutate({ clientId: this.clientId, name: "load" });
    for (;;) {
      const page = await this.api.sync.pull.query({ cursor: this.cursor, limit: 1000 });
      this.cursor = page.cursor;
      if (!page.hasMore) break;
    }
  }

  private nextSlot(): { start: Date; end: Date } {
    const start = NEW_FROM + this.slot++ * 1_200_000;
    return { start: new Date(start), end: new Date(start + 600_000) };
  }

  private project(): string {
    return this.workspace.projectIds[Math.floor(Math.random() * this.workspace.projectIds.length)]!;
  }

  /** One call of the mix, timed into `rec`. */
  async act(rec: Recorder): Promise<void> {
    const action = pick();
    const api = this.api;
    switch (action) {
      case "entries.list":
        await rec.time(action, () => api.entries.list.query({ page: { limit: 50, cursor: 0 } }));
        return;
      case "entries.create": {
        const slot = this.nextSlot();
        await rec.time(action, async () => {
          const e = await api.entries.create.mutate({ ...slot, projectId: this.project(), description: "load work" });
          this.mine.push(e.id);
        });
        return;
      }
      case "entries.update": {
        const id = this.mine[Math.floor(Math.random() * this.mine.length)];
        if (!id) return this.act(rec);
        await rec.time(action, () => api.entries.update.mutate({ id, description: `edited ${Date.now()}`, billable: Math.random() < 0.5 }));
        return;
      }
      case "timer": {
        const started = await rec.time("entries.create (timer)", () => api.entries.create.mutate({ start: new Date(), end: null, description: "timer" }));
        if (started) await rec.time("entries.stop", () => api.entries.stop.mutate({}));
        return;
      }
      case "sync.push": {
        const n = 1 + Math.floor(Math.random() * 3);
        await rec.time(action, () =>
          api.sync.push.mutate({
            clientId: this.clientId,
            mutations: Array.from({ length: n }, () => {
              const slot = this.nextSlot();
              return {
                mutationId: ++this.mutationId,
                name: "entry.put" as const,
                args: { id: randomUUID(), start: slot.start.toISOString(), end: slot.end.toISOString(), description: "offline work" },
              };
            }),
          }),
        );
        return;
      }
      case "sync.pull":
        await rec.time(action, async () => {
          const page = await api.sync.pull.query({ cursor: this.cursor, limit: 500 });
          this.cursor = page.cursor;
        });
        return;
      case "timesheets.mine":
        await rec.time(action, () => api.timesheets.mine.query());
        return;
      case "reports.summary": {
        const team = this.user.role !== "EMPLOYEE";
        await rec.time(action, () =>
          api.reports.summary.query({ from: REPORT_FROM, to: REPORT_TO, groupBy: team ? "project" : "day", ...(team ? {} : { userIds: [this.user.userId] }) }),
        );
        return;
      }
    }
  }
}

/**
 * Runs `people` until `signal` aborts: each waits a random pause (exponential,
 * mean `meanPauseMs`), makes one call, and again. The pause makes the load an
 * arrival rate of about people / pause, like people at work, not a closed loop
 * that slows down with the server.
 */
export async function runMix(people: MixPerson[], rec: (p: MixPerson) => Recorder, meanPauseMs: number, signal: AbortSignal): Promise<void> {
  // A pause ends early when the phase does: a person asleep at the end makes no more calls.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done);
    });
  await Promise.all(
    people.map(async (p) => {
      await sleep(Math.random() * meanPauseMs);
      while (!signal.aborted) {
        await p.act(rec(p));
        await sleep(-Math.log(1 - Math.random()) * meanPauseMs);
      }
    }),
  );
}
