/**
 * `npm run bench:load`: many companies on one server, measured side by side
 * in one run (this machine is shared and noisy: ratios within the run are
 * what count). 50 workspaces of 10 people (500 people) run a working mix on
 * PGlite and on PostgreSQL; on PostgreSQL the same with row-level security
 * switched off (a scratch database, bench only), a workspace flooding at
 * 20x its request limit, and a workspace running its heaviest report in a
 * loop with and without the places for heavy reads.
 *
 * BENCH_LOAD_SECONDS (default 15) per phase; BENCH_LOAD_PAUSE_MS (60000) is
 * each person's mean pause between calls (500 people / 60 s = about 8
 * calls/s); BENCH_LOAD_WORKSPACES (50), BENCH_LOAD_USERS (10 per workspace),
 * BENCH_LOAD_HEAVY_PEOPLE (60: a year of 60 people, about 125,000 entries);
 * BENCH_LOAD_ONLY=pglite|postgres runs one database; BENCH_LOAD_HEAVY_PLACES and
 * BENCH_LOAD_HEAVY_SHARE set the protected server's places for heavy reads per
 * workspace and the share of a place's time each may take (HEAVY_MAX_PER_WORKSPACE,
 * HEAVY_TIME_SHARE).
 */
import { setMaxListeners } from "node:events";
import os from "node:os";
import { serverClient } from "../../apps/desktop/src/core/sync/server-transport.js";
import { fmt } from "../stats.js";
import { MixPerson, runMix } from "./mix.js";
import { flood, heavyReports, type FloodFigures } from "./neighbours.js";
import { Recorder, type ProcedureFigures } from "./recorder.js";
import { forkLoadServer, type LoadServer } from "./server-process.js";

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const PAUSE_MS = Number(process.env.BENCH_LOAD_PAUSE_MS ?? 60000);
const WORKSPACES = Number(process.env.BENCH_LOAD_WORKSPACES ?? 50);
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 10);
const HEAVY_PEOPLE = Number(process.env.BENCH_LOAD_HEAVY_PEOPLE ?? 60);
const ONLY = process.env.BENCH_LOAD_ONLY;
/** The protected server's places for heavy reads per workspace (its HEAVY_MAX_PER_WORKSPACE); unset: the server's default. */
const HEAVY_PLACES = process.env.BENCH_LOAD_HEAVY_PLACES;
/** The protected server's HEAVY_TIME_SHARE; unset: the server's default. */
const HEAVY_SHARE = process.env.BENCH_LOAD_HEAVY_SHARE;
const PROTECTED: Record<string, string> = {
  ...(HEAVY_PLACES ? { HEAVY_MAX_PER_WORKSPACE: HEAVY_PLACES } : {}),
  ...(HEAVY_SHARE ? { HEAVY_TIME_SHARE: HEAVY_SHARE } : {}),
};
/** The flooder's request limit per minute, and how many times that it sends. */
const FLOOD_LIMIT_PER_MINUTE = 60;
const FLOOD_FACTOR = 20;
/** Callers with no pause: the saturated throughput. */
const SATURATION_CALLERS = 32;
const HEAVY_LOOPS = 8;
/** Protection off: places enough for anything, no statement timeout, PostgreSQL's default parallel workers. */
const UNPROTECTED = { HEAVY_MAX_PER_WORKSPACE: "1000", HEAVY_QUEUE_PER_WORKSPACE: "0", HEAVY_STATEMENT_TIMEOUT_MS: "0", HEAVY_PARALLEL_WORKERS: "2", HEAVY_TIME_SHARE: "1" };

type Running = LoadServer;

async function startChild(kind: "postgres" | "pglite", rls: "rls-on" | "rls-off", heavyPeople: number, env: Record<string, string> = {}): Promise<Running> {
  progress(`starting and seeding a server: ${kind}, ${rls}, heavy workspace of ${heavyPeople} people`);
  return forkLoadServer({ kind, rls, workspaces: WORKSPACES, usersPerWorkspace: USERS, heavyPeople, env });
}

/** Runs async `work` over `items`, `width` at a time. */
async function eachLimited<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

interface PhaseResult {
  others: Recorder;
  /** The flooder's own people (the first workspace), kept apart from the others. */
  flooderMix: Recorder;
  flood?: FloodFigures;
  heavy?: Recorder;
}

type Neighbour = "none" | "flood" | "heavy";
const DRAIN_MS = 10_000;

/** One timed phase: the mix for SECONDS, with a neighbour. */
async function phase(run: Running, people: MixPerson[], neighbour: Neighbour): Promise<PhaseResult> {
  progress(`phase: mix with neighbour ${neighbour}`);
  const others = new Recorder();
  const flooderMix = new Recorder();
  const flooderPeople = new Set(people.slice(0, USERS));
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every person's pause listens for the end of the phase
  const timer = setTimeout(() => stop.abort(), SECONDS * 1000);
  const heavy = neighbour === "heavy" ? new Recorder() : undefined;
  // Rates are over the phase itself; calls still in flight at its end are timed but add no seconds.
  stop.signal.addEventListener("abort", () => {
    for (const r of [others, flooderMix, heavy]) r?.stop();
  });
  const floodFigures = neighbour === "flood"
    ? flood(run.url, run.fixture.workspaces[0]!, (FLOOD_FACTOR * FLOOD_LIMIT_PER_MINUTE) / 60, stop.signal)
    : Promise.resolve(undefined);
  const work = Promise.all([
    runMix(people, (p) => (flooderPeople.has(p) ? flooderMix : others), PAUSE_MS, stop.signal),
    floodFigures,
    heavy ? heavyReports(run.url, run.fixture.heavy!, HEAVY_LOOPS, heavy, stop.signal) : Promise.resolve(),
  ]);
  // Waited for at most DRAIN_MS after the phase: a few calls of a fresh server's first phase have taken
  // a minute and more (their time is recorded: the max column); the next phase does not wait for them.
  await Promise.race([work, new Promise((r) => setTimeout(r, SECONDS * 1000 + DRAIN_MS).unref())]);
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 2000)); // let the limiter's minute and the pool settle a little
  return { others, flooderMix, flood: await floodFigures, heavy };
}

/** The saturated throughput: SATURATION_CALLERS people of different workspaces calling with no pause, SECONDS / 2. */
async function saturation(people: MixPerson[]): Promise<Recorder> {
  progress("phase: saturated");
  const rec = new Recorder();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), (SECONDS * 1000) / 2);
  stop.signal.addEventListener("abort", () => rec.stop());
  const callers = Array.from({ length: SATURATION_CALLERS }, (_, i) => people[USERS + ((i * 37) % (people.length - USERS))]!);
  await Promise.all(callers.map(async (p) => {
    while (!stop.signal.aborted) await p.act(rec);
  }));
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 2000));
  return rec;
}

const progress = (msg: string) => process.stderr.write(`[bench:load ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function prepare(run: Running): Promise<MixPerson[]> {
  progress(`seeded; warming up ${run.fixture.workspaces.length * USERS} people`);
  const people = run.fixture.workspaces.flatMap((ws) => ws.users.map((u) => new MixPerson(run.url, u, ws)));
  await eachLimited(people, 20, (p) => p.warmUp());
  // One phase of the mix, not recorded: the first minute of a fresh server (plans, caches, JIT) is not its steady state.
  await phase(run, people, "none");
  return people;
}

const ms = (n: number) => (Number.isNaN(n) ? "-" : `${fmt(n, 1)} ms`);
const errorsOf = (f: ProcedureFigures) =>
  Object.entries(f.errors).map(([code, n]) => `${n} ${code}`).join(", ") || "0";

function printProcedures(title: string, rec: Recorder) {
  console.log(`\n${title} (${fmt(rec.seconds, 1)} s):\n`);
  console.log("| procedure | calls | calls/s | p50 | p95 | p99 | max | errors |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const f of [...rec.figures(), rec.overall()]) {
    console.log(`| ${f.procedure} | ${fmt(f.calls)} | ${fmt(f.perSecond, 1)} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${ms(f.max)} | ${errorsOf(f)} |`);
  }
}

const load = () => fmt(os.loadavg()[0]!, 1);
const ratio = (a: number, b: number) => fmt(a / b, 2);

console.log(
  `# Load (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, Node ${process.version}; ${WORKSPACES} workspaces x ${USERS} people, ` +
    `mean pause ${PAUSE_MS} ms, ${SECONDS} s per phase; load average ${load()} at start)`,
);

const summary: string[] = [];

if (ONLY !== "pglite") {
  // RLS on, places for heavy reads on (the defaults).
  const on = await startChild("postgres", "rls-on", HEAVY_PEOPLE, PROTECTED);
  console.log(`\nPostgreSQL: heavy workspace with ${fmt(on.fixture.heavy?.entries ?? 0)} entries`);
  const people = await prepare(on);
  // The first workspace is the flooder: its limit is FLOOD_LIMIT_PER_MINUTE from the start.
  const w0 = on.fixture.workspaces[0]!;
  await serverClient(on.url, { token: () => w0.users[0]!.token, workspaceId: w0.id }).workspace.update.mutate({ rateLimitPerMinute: FLOOD_LIMIT_PER_MINUTE });
  const base = await phase(on, people, "none");
  printProcedures(`PostgreSQL (RLS on), the mix`, base.others);
  const maxOn = await saturation(people);
  printProcedures(`PostgreSQL (RLS on), saturated (${SATURATION_CALLERS} callers, no pause)`, maxOn);
  const flooded = await phase(on, people, "flood");
  printProcedures(`PostgreSQL, the others while the first workspace floods at ${FLOOD_FACTOR}x its limit`, flooded.others);
  const heavyOn = await phase(on, people, "heavy");
  printProcedures(`PostgreSQL, the others while a workspace runs the year's report in ${HEAVY_LOOPS} loops, places on`, heavyOn.others);
  const baseAfter = await phase(on, people, "none");
  printProcedures(`PostgreSQL (RLS on), the mix again after the neighbours`, baseAfter.others);
  const loadOn = load();
  await on.stop();

  const off = await startChild("postgres", "rls-off", HEAVY_PEOPLE);
  const peopleOff = await prepare(off);
  const baseOff = await phase(off, peopleOff, "none");
  printProcedures(`PostgreSQL (RLS off, scratch database), the mix`, baseOff.others);
  const maxOff = await saturation(peopleOff);
  printProcedures(`PostgreSQL (RLS off), saturated`, maxOff);
  await off.stop();

  const bare = await startChild("postgres", "rls-on", HEAVY_PEOPLE, UNPROTECTED);
  const peopleBare = await prepare(bare);
  const baseBare = await phase(bare, peopleBare, "none");
  const heavyBare = await phase(bare, peopleBare, "heavy");
  printProcedures(`PostgreSQL, the others while a workspace runs the year's report in ${HEAVY_LOOPS} loops, places off`, heavyBare.others);
  const loadEnd = load();
  await bare.stop();

  const all = (r: Recorder) => r.overall();
  console.log(`\nThe cost of row-level security (PostgreSQL, same data, same mix; load average ${loadOn} to ${loadEnd}):\n`);
  console.log("| | RLS on | RLS off | on / off |");
  console.log("|---|---|---|---|");
  console.log(`| saturated throughput (calls/s) | ${fmt(all(maxOn).perSecond)} | ${fmt(all(maxOff).perSecond)} | ${ratio(all(maxOn).perSecond, all(maxOff).perSecond)} |`);
  console.log(`| saturated p95 | ${ms(all(maxOn).p95)} | ${ms(all(maxOff).p95)} | ${ratio(all(maxOn).p95, all(maxOff).p95)} |`);
  console.log(`| mix p50 | ${ms(all(base.others).p50)} | ${ms(all(baseOff.others).p50)} | ${ratio(all(base.others).p50, all(baseOff.others).p50)} |`);
  console.log(`| mix p95 | ${ms(all(base.others).p95)} | ${ms(all(baseOff.others).p95)} | ${ratio(all(base.others).p95, all(baseOff.others).p95)} |`);

  const f = flooded.flood!;
  console.log(`\nNeighbours (PostgreSQL; the others = the ${WORKSPACES - 1} workspaces that do nothing unusual; goal: no errors, p95 within 1.5x of their baseline):\n`);
  console.log("| phase | others' calls/s | others' p95 | p95 / baseline | others' errors | the neighbour |");
  console.log("|---|---|---|---|---|---|");
  const row = (name: string, r: Recorder, baseline: Recorder, neighbour: string) =>
    console.log(`| ${name} | ${fmt(all(r).perSecond, 1)} | ${ms(all(r).p95)} | ${ratio(all(r).p95, all(baseline).p95)} | ${errorsOf(all(r))} | ${neighbour} |`);
  row("baseline (places on)", base.others, base.others, "-");
  row("baseline again, after the neighbours", baseAfter.others, base.others, "-");
  row(`flood at ${FLOOD_FACTOR}x its limit`, flooded.others, base.others,
    `${fmt(f.sent)} sent, ${fmt(f.refusedWithRetryAfter)} refused 429 with Retry-After, ${fmt(f.refusedWithoutRetryAfter)} 429 without, ${fmt(f.ok)} answered, other: ${JSON.stringify(f.other)}`);
  const heavyText = (h: Recorder) => {
    const x = h.overall();
    return `${fmt(x.perSecond, 1)} reports/s done (p50 ${ms(x.p50)}), refused: ${errorsOf(x)}`;
  };
  row("heavy reports, places on", heavyOn.others, base.others, heavyText(heavyOn.heavy!));
  row("baseline (places off)", baseBare.others, baseBare.others, "-");
  row("heavy reports, places off", heavyBare.others, baseBare.others, heavyText(heavyBare.heavy!));
}

if (ONLY !== "postgres") {
  const run = await startChild("pglite", "rls-on", 0);
  const people = await prepare(run);
  const base = await phase(run, people, "none");
  printProcedures(`PGlite, the mix (the ${WORKSPACES - 1} workspaces other than the first)`, base.others);
  const max = await saturation(people);
  printProcedures(`PGlite, saturated (${SATURATION_CALLERS} callers, no pause)`, max);
  summary.push(`PGlite: mix p95 ${ms(base.others.overall().p95)}, saturated ${fmt(max.overall().perSecond)} calls/s (load average ${load()})`);
  await run.stop();
}

if (summary.length) console.log(`\n${summary.join("\n")}`);
console.log(`\nload average at the end: ${load()}`);
process.exit(0);
