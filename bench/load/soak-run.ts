import { setMaxListeners } from "node:events";
import { MixPerson, runMix } from "./mix.js";
import { Recorder } from "./recorder.js";
import { forkLoadServer, type MemorySample } from "./server-process.js";

/**
 * The soak: the load benchmark's working mix against one PostgreSQL server
 * (a process of its own) for a long stretch, its memory read at a fixed
 * interval. It fails on any failed call, and when the heap after a full
 * collection ends higher than it started by more than the allowed growth.
 */
export interface SoakOptions {
  seconds: number;
  sampleEverySeconds: number;
  workspaces: number;
  usersPerWorkspace: number;
  /** Each person's mean pause between calls. */
  pauseMs: number;
  /** Allowed growth of the heap after GC, last third of the samples over the first, in percent. */
  maxHeapGrowthPercent: number;
  /** Unrecorded mix before the first sample (a fresh server's plans, caches and JIT). */
  warmUpSeconds: number;
  progress?: (msg: string) => void;
}

export interface TimedSample extends MemorySample {
  atSeconds: number;
}

export interface SoakResult {
  samples: TimedSample[];
  recorder: Recorder;
  /** Mean heap after GC of the first and of the last third of the samples, in bytes. */
  heapFirstThird: number;
  heapLastThird: number;
  heapGrowthPercent: number;
  /** Least-squares slope of heap after GC over the whole run, in MiB per minute; and of RSS. */
  heapSlopeMiBPerMinute: number;
  rssSlopeMiBPerMinute: number;
  failedCalls: number;
  /** Why the soak failed; empty when it passed. */
  failures: string[];
}

const MiB = 1024 * 1024;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const progress = opts.progress ?? (() => {});
  progress(`seeding ${opts.workspaces} workspaces of ${opts.usersPerWorkspace} people on PostgreSQL`);
  const server = await forkLoadServer({ kind: "postgres", rls: "rls-on", workspaces: opts.workspaces, usersPerWorkspace: opts.usersPerWorkspace, heavyPeople: 0 });
  try {
    const people = server.fixture.workspaces.flatMap((ws) => ws.users.map((u) => new MixPerson(server.url, u, ws)));
    for (const p of people) await p.warmUp();
    if (opts.warmUpSeconds > 0) {
      progress(`warming up for ${opts.warmUpSeconds} s`);
      await mixFor(people, new Recorder(), opts.pauseMs, opts.warmUpSeconds);
    }

    progress(`soaking for ${opts.seconds} s, memory every ${opts.sampleEverySeconds} s`);
    const recorder = new Recorder();
    const samples: TimedSample[] = [];
    const started = performance.now();
    const sample = async () => {
      const reading = await server.memory();
      const atSeconds = (performance.now() - started) / 1000;
      samples.push({ ...reading, atSeconds });
      progress(`t=${atSeconds.toFixed(0)} s: heap ${(reading.heapUsedBytes / MiB).toFixed(1)} MiB, rss ${(reading.rssBytes / MiB).toFixed(1)} MiB, ${recorder.overall().calls} calls`);
    };
    const missed: string[] = [];
    await sample();
    const sampler = setInterval(() => void sample().catch((err: unknown) => missed.push(String(err))), opts.sampleEverySeconds * 1000);
    try {
      await mixFor(people, recorder, opts.pauseMs, opts.seconds);
    } finally {
      clearInterval(sampler);
    }
    await sample();
    const result = judge(samples, recorder, opts.maxHeapGrowthPercent);
    if (missed.length) result.failures.push(`${missed.length} memory readings failed: ${missed[0]}`);
    return result;
  } finally {
    await server.stop();
  }
}

async function mixFor(people: MixPerson[], recorder: Recorder, pauseMs: number, seconds: number): Promise<void> {
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every person's pause listens for the end
  const timer = setTimeout(() => stop.abort(), seconds * 1000);
  stop.signal.addEventListener("abort", () => recorder.stop());
  // Calls in flight at the end finish and count: a failure then is a failure too.
  await runMix(people, () => recorder, pauseMs, stop.signal);
  clearTimeout(timer);
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export function judge(samples: TimedSample[], recorder: Recorder, maxHeapGrowthPercent: number): SoakResult {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (list: TimedSample[]) => list.reduce((a, s) => a + s.heapUsedBytes, 0) / list.length;
  const heapFirstThird = mean(samples.slice(0, third));
  const heapLastThird = mean(samples.slice(-third));
  const heapGrowthPercent = ((heapLastThird - heapFirstThird) / heapFirstThird) * 100;
  const perMinute = (pick: (s: TimedSample) => number) => slope(samples.map((s) => ({ x: s.atSeconds / 60, y: pick(s) / MiB })));
  const overall = recorder.overall();
  const failedCalls = Object.values(overall.errors).reduce((a, b) => a + b, 0);
  const failures: string[] = [];
  if (overall.calls === 0) failures.push("no call was made");
  if (failedCalls > 0) failures.push(`${failedCalls} of ${overall.calls} calls failed: ${JSON.stringify(overall.errors)}`);
  if (samples.length < 3) failures.push(`only ${samples.length} memory samples`);
  if (samples.some((s) => !s.afterGc)) failures.push("the server's heap was read without a full GC (no --expose-gc)");
  if (heapGrowthPercent > maxHeapGrowthPercent) {
    failures.push(`heap after GC grew ${heapGrowthPercent.toFixed(1)}% from the first third to the last (allowed ${maxHeapGrowthPercent}%)`);
  }
  return {
    samples,
    recorder,
    heapFirstThird,
    heapLastThird,
    heapGrowthPercent,
    heapSlopeMiBPerMinute: perMinute((s) => s.heapUsedBytes),
    rssSlopeMiBPerMinute: perMinute((s) => s.rssBytes),
    failedCalls,
    failures,
  };
}
