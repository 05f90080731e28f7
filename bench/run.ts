/**
 * `npm run bench`: the figures the README reports. Runs on this machine's
 * PostgreSQL and on embedded PGlite. BENCH_ENTRIES overrides the 10,000.
 */
import os from "node:os";
import { benchLocalWrites } from "./local-writes.js";
import { fmt } from "./stats.js";
import { benchSync } from "./sync-throughput.js";

const entries = Number(process.env.BENCH_ENTRIES ?? 10_000);

console.log(`# Hoursync benchmarks (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version})\n`);

const local = benchLocalWrites(entries);
console.log(`Local writes (${fmt(local.count)} entries, each with its outbox row, WAL file):`);
console.log(`  p50 ${fmt(local.p50, 3)} ms, p95 ${fmt(local.p95, 3)} ms, p99 ${fmt(local.p99, 3)} ms\n`);

console.log("| database | entries | push (entries/s) | pull (entries/s) | reconnect to synced |");
console.log("|---|---|---|---|---|");
for (const kind of ["postgres", "pglite"] as const) {
  const r = await benchSync(kind, entries);
  console.log(`| ${r.database} | ${fmt(r.entries)} | ${fmt(r.pushPerSecond)} | ${fmt(r.pullPerSecond)} | ${fmt(r.reconnectSeconds, 2)} s |`);
}
process.exit(0);
