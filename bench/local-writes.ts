import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { CatalogStore } from "../apps/desktop/src/core/store/catalog.js";
import { EntryStore } from "../apps/desktop/src/core/store/entries.js";
import { openLocalDb } from "../apps/desktop/src/core/store/local-db.js";
import { Outbox } from "../apps/desktop/src/core/store/outbox.js";
import { TimeTracker } from "../apps/desktop/src/core/timer/time-tracker.js";
import { percentile } from "./stats.js";

/** Latency of one local change (entry + outbox row in one SQLite transaction on a WAL file). */
export function benchLocalWrites(count: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hoursync-bench-"));
  const db = openLocalDb(path.join(dir, "bench.sqlite"));
  try {
    const tracker = new TimeTracker(db, new EntryStore(db), new Outbox(db), new CatalogStore(db));
    const scope = { workspaceId: randomUUID(), userId: randomUUID() };
    const samples: number[] = [];
    const base = Date.UTC(2027, 0, 1);
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      tracker.createManual(scope, { start: base + i * 600_000, end: base + i * 600_000 + 300_000, description: `entry ${i}` });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { count, p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
