/**
 * Two builds of the renderer compared in the same conditions (`BENCH_UI_BASELINE=<folder of another
 * checkout, with node_modules> npm run bench -- ui-compare`): both served by this checkout's HTTP
 * bridge over one device with 10,000 entries, loaded in turn (baseline, this one, this one,
 * baseline...) in one browser. Besides the paint's wall time it reports the page's main-thread
 * CPU time up to the first paint (thread time from Chromium's trace): on a machine shared with
 * other work, wall times spread widely, thread time much less, so the ratio is what to read.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { rendererConfig as RendererConfig } from "../apps/desktop/renderer.vite.config.js";
import { startHttpBridge } from "../apps/desktop/src/core/api/http-bridge.js";
import { launchChromium } from "../tests/e2e/support/browser.js";
import { removeDeviceFiles } from "../tests/support/device.js";
import { fmt, percentile } from "./stats.js";
import { firstPaint, markFirstPaint, seedDevice } from "./ui-fixture.js";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  tdur?: number;
  args?: { beginData?: { url?: string } };
}

const ROUNDS = Number(process.env.BENCH_UI_COMPARE_ROUNDS ?? 8);

async function build(root: string): Promise<string> {
  const { build: viteBuild } = await import("vite");
  const { rendererConfig } = (await import(path.join(root, "apps/desktop/renderer.vite.config.ts"))) as { rendererConfig: typeof RendererConfig };
  const config = rendererConfig(root);
  const outDir = path.join(os.tmpdir(), `hoursync-bench-compare-${randomUUID()}`);
  await viteBuild({ ...config, configFile: false, logLevel: "error", build: { ...config.build, outDir } });
  return outDir;
}

export async function compareUi(baselineRoot: string, entries = 10_000): Promise<void> {
  const builds = [
    { name: "baseline", dir: await build(path.resolve(baselineRoot)) },
    { name: "this checkout", dir: await build(path.resolve(import.meta.dirname, "..")) },
  ];
  const { device } = seedDevice(entries);
  const bridges = await Promise.all(builds.map((b) => startHttpBridge(device.core, { rendererDir: b.dir })));
  const browser = await launchChromium();
  const results = builds.map(() => ({ paint: [] as number[], cpu: [] as number[] }));
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    for (let round = 0; round < ROUNDS; round++) {
      for (const i of round % 2 ? [1, 0] : [0, 1]) {
        const page = await context.newPage();
        await markFirstPaint(page);
        await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"] });
        await page.goto(bridges[i]!.url);
        results[i]!.paint.push(await firstPaint(page));
        const trace = (JSON.parse((await browser.stopTracing()).toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
        const origin = new URL(bridges[i]!.url).origin;
        const parse = trace.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.startsWith(origin));
        const tasks = trace.filter((e) => parse && e.pid === parse.pid && e.tid === parse.tid && e.ph === "X" && e.name === "RunTask");
        results[i]!.cpu.push(tasks.reduce((n, e) => n + (e.tdur ?? 0), 0) / 1000);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    for (const b of bridges) await b.app.close();
    device.close();
    removeDeviceFiles(device);
    for (const b of builds) rmSync(b.dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => percentile(xs, 50);
  console.log(`Two renderer builds, ${ROUNDS} loads each in turn (load average ${fmt(os.loadavg()[0]!, 1)} at the end):`);
  builds.forEach((b, i) => {
    const r = results[i]!;
    console.log(`  ${b.name}: first paint median ${fmt(median(r.paint))} ms; main-thread CPU up to it median ${fmt(median(r.cpu))} ms (${r.cpu.map((ms) => fmt(ms)).join(", ")})`);
  });
  console.log(`  main-thread CPU, this checkout / baseline: ${fmt(median(results[1]!.cpu) / median(results[0]!.cpu), 2)}\n`);
}
