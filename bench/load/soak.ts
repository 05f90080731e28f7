/**
 * `npm run bench:soak`: the load benchmark's mix against one PostgreSQL
 * server for SOAK_MINUTES (default 10), the server's memory read every
 * SOAK_SAMPLE_SECONDS (30) after a full GC. Exits 1 when any call failed or
 * the heap after GC grew more than SOAK_MAX_HEAP_GROWTH_PERCENT (10) from
 * the first third of the samples to the last. Figures mean something only
 * from a quiet machine.
 */
import os from "node:os";
import { z } from "zod";
import { fmt } from "../stats.js";
import { runSoak } from "./soak-run.js";

const env = z
  .object({
    SOAK_MINUTES: z.coerce.number().positive().max(24 * 60).default(10),
    SOAK_SAMPLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    SOAK_WORKSPACES: z.coerce.number().int().min(1).max(1000).default(20),
    SOAK_USERS: z.coerce.number().int().min(2).max(100).default(10),
    SOAK_PAUSE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
    SOAK_MAX_HEAP_GROWTH_PERCENT: z.coerce.number().min(0).max(1000).default(10),
    SOAK_WARMUP_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  })
  .parse(process.env);

const progress = (msg: string) => process.stderr.write(`[bench:soak ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const MiB = 1024 * 1024;
const ms = (n: number) => (Number.isNaN(n) ? "-" : `${fmt(n, 1)} ms`);

console.log(
  `# Soak (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, Node ${process.version}; PostgreSQL; ` +
    `${env.SOAK_WORKSPACES} workspaces x ${env.SOAK_USERS} people, mean pause ${env.SOAK_PAUSE_MS} ms, ${env.SOAK_MINUTES} min; load average ${fmt(os.loadavg()[0]!, 1)} at start)`,
);

const result = await runSoak({
  seconds: env.SOAK_MINUTES * 60,
  sampleEverySeconds: env.SOAK_SAMPLE_SECONDS,
  workspaces: env.SOAK_WORKSPACES,
  usersPerWorkspace: env.SOAK_USERS,
  pauseMs: env.SOAK_PAUSE_MS,
  maxHeapGrowthPercent: env.SOAK_MAX_HEAP_GROWTH_PERCENT,
  warmUpSeconds: env.SOAK_WARMUP_SECONDS,
  progress,
});

console.log("\nThe server's memory (heap used after a full GC, resident set):\n");
console.log("| t (s) | heap after GC (MiB) | RSS (MiB) |");
console.log("|---|---|---|");
for (const s of result.samples) console.log(`| ${fmt(s.atSeconds)} | ${fmt(s.heapUsedBytes / MiB, 1)} | ${fmt(s.rssBytes / MiB, 1)} |`);
console.log(
  `\nheap after GC: first third ${fmt(result.heapFirstThird / MiB, 1)} MiB, last third ${fmt(result.heapLastThird / MiB, 1)} MiB ` +
    `(${result.heapGrowthPercent >= 0 ? "+" : ""}${fmt(result.heapGrowthPercent, 1)}%, allowed +${env.SOAK_MAX_HEAP_GROWTH_PERCENT}%); ` +
    `slope ${fmt(result.heapSlopeMiBPerMinute, 2)} MiB/min; RSS slope ${fmt(result.rssSlopeMiBPerMinute, 2)} MiB/min`,
);

console.log(`\nCalls (${fmt(result.recorder.seconds, 0)} s):\n`);
console.log("| procedure | calls | calls/s | p50 | p95 | p99 | max | errors |");
console.log("|---|---|---|---|---|---|---|---|");
for (const f of [...result.recorder.figures(), result.recorder.overall()]) {
  const errors = Object.entries(f.errors).map(([code, n]) => `${n} ${code}`).join(", ") || "0";
  console.log(`| ${f.procedure} | ${fmt(f.calls)} | ${fmt(f.perSecond, 1)} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${ms(f.max)} | ${errors} |`);
}

console.log(`\nload average at the end: ${fmt(os.loadavg()[0]!, 1)}`);
if (result.failures.length) {
  console.log(`\nFAILED:\n- ${result.failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\npassed: no failed call, heap after GC within the allowed growth");
process.exit(0);
