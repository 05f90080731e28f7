/**
 * Where the desktop UI's time goes (`npm run bench -- ui-profile`): the Track screen's load and the
 * typing of the UI benchmark (bench/ui.ts), first under Chromium's tracing alone (the main
 * thread's time by kind of work: script, style, layout, paint; and its longest tasks), then under
 * its sampling CPU profiler (the functions with the most time, their own and with what they call).
 * The renderer is built unminified so that functions keep their names. BENCH_UI_PROFILE_DIR keeps
 * the traces and .cpuprofile files (Chromium's DevTools Performance panel opens them).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { launchChromium } from "../tests/e2e/support/browser.js";
import { fmt } from "./stats.js";
import { firstPaint, markFirstPaint, startUiFixture } from "./ui-fixture.js";

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; type?: string }; beginData?: { url?: string } };
}
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES = ["devtools.timeline", "v8.execute", "disabled-by-default-devtools.timeline", "blink.user_timing", "loading"];
const TEXT = "Writing the quarterly report for the board";

export async function profileUi(entries = 10_000): Promise<void> {
  const fixture = await startUiFixture(entries, { readable: true });
  const keep = process.env.BENCH_UI_PROFILE_DIR;
  if (keep) mkdirSync(keep, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // A first load warms the bridge and the disk cache, as the benchmark's five loads do.
    await load(context, fixture.url);

    for (const cpu of [false, true]) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await markFirstPaint(page);
      const loaded = await record(browser, page, cdp, cpu, async () => {
        await page.goto(fixture.url);
        return firstPaint(page);
      });
      console.log(`\n# ${cpu ? "Under the CPU profiler" : "Traced"}: first meaningful paint at ${fmt(loaded.result)} ms`);
      report("Load, up to the first meaningful paint", loaded.trace, loaded.profile, fixture.url);
      await page.getByTestId("timer-description").click();
      await page.waitForTimeout(1500);
      const typed = await record(browser, page, cdp, cpu, async () => {
        await page.keyboard.type(TEXT, { delay: 40 });
        await page.waitForTimeout(300);
      });
      report(`Typing ${TEXT.length} keys in the timer bar`, typed.trace, typed.profile, fixture.url);
      if (keep) {
        const tag = cpu ? "cpu" : "trace";
        writeFileSync(path.join(keep, `load-${tag}.trace.json`), JSON.stringify(loaded.trace));
        writeFileSync(path.join(keep, `typing-${tag}.trace.json`), JSON.stringify(typed.trace));
        if (loaded.profile) writeFileSync(path.join(keep, "load.cpuprofile"), JSON.stringify(loaded.profile));
        if (typed.profile) writeFileSync(path.join(keep, "typing.cpuprofile"), JSON.stringify(typed.profile));
      }
      await page.close();
    }
    // The floor: the same typing into a bare input in the same browser, traced the same way.
    const bare = await context.newPage();
    const bareUrl = new URL("/bare-input", fixture.url).href;
    await bare.route(bareUrl, (r) => r.fulfill({ contentType: "text/html", body: '<!doctype html><input data-testid="timer-description" style="width: 600px">' }));
    await bare.goto(bareUrl);
    await bare.getByTestId("timer-description").click();
    await bare.waitForTimeout(500);
    const bareTyped = await record(browser, bare, await context.newCDPSession(bare), false, async () => {
      await bare.keyboard.type(TEXT, { delay: 40 });
      await bare.waitForTimeout(300);
    });
    console.log("\n# The floor: a bare <input>, traced");
    report(`Typing ${TEXT.length} keys into a bare input`, bareTyped.trace, null, bareUrl);
    if (keep) console.log(`\nTraces and profiles in ${keep}`);
  } finally {
    await browser.close();
    await fixture.close();
  }
}

async function load(context: BrowserContext, url: string): Promise<void> {
  const page = await context.newPage();
  await markFirstPaint(page);
  await page.goto(url);
  await firstPaint(page);
  await page.close();
}

async function record<T>(browser: Browser, page: Page, cdp: CDPSession, cpu: boolean, run: () => Promise<T>): Promise<{ result: T; trace: TraceEvent[]; profile: CpuProfile | null }> {
  await browser.startTracing(page, { categories: CATEGORIES });
  if (cpu) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
  }
  const result = await run();
  const profile = cpu ? ((await cdp.send("Profiler.stop")).profile as unknown as CpuProfile) : null;
  const trace = (JSON.parse((await browser.stopTracing()).toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  return { result, trace, profile };
}

const ms = (us: number, digits = 1) => `${fmt(us / 1000, digits).padStart(8)} ms`;

/** The page's main thread: self time by event name (nested events subtracted), the longest tasks, and the profile's hottest functions. */
function report(title: string, events: TraceEvent[], profile: CpuProfile | null, url: string): void {
  const origin = new URL(url).origin;
  // The page's renderer (new headless Chromium also runs renderers of its own, such as the omnibox's).
  // A page without scripts of its own (the bare input) is known by the thread its key events are dispatched on.
  const parse =
    events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.startsWith(origin)) ??
    events.find((e) => e.args?.data?.url?.startsWith(origin)) ??
    events.find((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown");
  const own = events
    .filter((e) => e.ph === "X" && parse && e.pid === parse.pid && e.tid === parse.tid && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: TraceEvent[] = [];
  for (const e of own) {
    while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
    stack.push(e);
  }
  const tasks = own.filter((e) => e.name === "ThreadControllerImpl::RunTask" || (e.name === "RunTask" && !own.some((o) => o !== e && o.name === "ThreadControllerImpl::RunTask" && o.ts === e.ts)));
  console.log(`\n## ${title}: page main-thread tasks ${ms(tasks.reduce((n, e) => n + e.dur!, 0), 0).trim()}\n`);
  console.log("Time by kind of work (own time):");
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${ms(us)}  ${name}`);
  console.log("\nLongest tasks (start from the first task, length, what is in them):");
  const t0 = own[0]?.ts ?? 0;
  for (const task of [...tasks].sort((a, b) => b.dur! - a.dur!).slice(0, 8).sort((a, b) => a.ts - b.ts)) {
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && e.name !== "RunTask" && !e.name.startsWith("ThreadController"));
    const top = inside.sort((a, b) => b.dur! - a.dur!).slice(0, 3).map((e) => `${e.name} ${fmt(e.dur! / 1000, 1)}${e.args?.data?.url ? ` (${e.args.data.url.replace(/^.*\//, "")})` : ""}`);
    console.log(`${ms(task.ts - t0, 0)} ${ms(task.dur!)}  ${top.join(", ")}`);
  }
  if (!profile) return;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\//, "") || "(native)"}:${f.lineNumber + 1}`;
  };
  const selfTime = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfTime.set(name(id), (selfTime.get(name(id)) ?? 0) + dt);
    // Each function on the sampled stack once (recursion counted once).
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parentOf.get(n)) {
      const key = name(n);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + dt);
      seen.add(key);
    }
  });
  const skip = (k: string) => /^\((program|idle|root|garbage collector)\)/.test(k);
  console.log("\nFunctions by own time:");
  for (const [k, us] of [...selfTime].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms(us)}  ${k}`);
  console.log("\nFunctions by time with what they call:");
  for (const [k, us] of [...total].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${ms(us)}  ${k}`);
}
