import { serverClient } from "../../apps/desktop/src/core/sync/server-transport.js";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";
import type { LoadFixture, LoadWorkspace } from "./seed.js";
import type { Recorder } from "./recorder.js";

export interface FloodFigures {
  sent: number;
  /** 429 answers that carried a Retry-After header. */
  refusedWithRetryAfter: number;
  refusedWithoutRetryAfter: number;
  ok: number;
  /** Other statuses and network failures, by status. */
  other: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One workspace's people calling entries.list at `perSecond` in total, on a
 * fixed schedule whatever the answers (a script that ignores Retry-After),
 * over plain HTTP so the status and headers can be read.
 */
export async function flood(url: string, ws: LoadWorkspace, perSecond: number, signal: AbortSignal): Promise<FloodFigures> {
  const out: FloodFigures = { sent: 0, refusedWithRetryAfter: 0, refusedWithoutRetryAfter: 0, ok: 0, other: {} };
  const input = encodeURIComponent(JSON.stringify({ json: { page: { limit: 50, cursor: 0 } } }));
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  while (!signal.aborted) {
    const user = ws.users[out.sent % ws.users.length]!;
    out.sent++;
    const call = fetch(`${url}/trpc/entries.list?input=${input}`, {
      headers: { authorization: `Bearer ${user.token}`, [WORKSPACE_HEADER]: ws.id },
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 429) {
          if (res.headers.get("retry-after")) out.refusedWithRetryAfter++;
          else out.refusedWithoutRetryAfter++;
        } else if (res.ok) out.ok++;
        else out.other[res.status] = (out.other[res.status] ?? 0) + 1;
      })
      .catch(() => {
        out.other.network = (out.other.network ?? 0) + 1;
      })
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
    // On schedule: the n-th call leaves at n / perSecond seconds, late calls are not made up in a burst.
    const due = started + (out.sent * 1000) / perSecond;
    await sleep(Math.max(0, due - performance.now()));
  }
  await Promise.all(inFlight);
  return out;
}

/**
 * The heavy workspace's owner running the year's report by day in `loops`
 * parallel loops, each report a little different so none is served from
 * the cache. A refused call waits 100 ms and asks again (a client that
 * does not read Retry-After).
 */
export async function heavyReports(url: string, heavy: NonNullable<LoadFixture["heavy"]>, loops: number, rec: Recorder, signal: AbortSignal): Promise<void> {
  const api = serverClient(url, { token: () => heavy.token, workspaceId: heavy.id });
  let n = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (!signal.aborted) {
        const to = new Date(Date.UTC(2026, 0, 1) + (n++ % 600) * 60_000);
        const ok = await rec.time("reports.summary (year by day)", () =>
          api.reports.summary.query({ from: new Date("2025-01-01T00:00:00Z"), to, groupBy: "day" }),
        );
        if (!ok) await sleep(100);
      }
    }),
  );
}
