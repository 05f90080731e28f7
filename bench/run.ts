/**
 * `npm run bench`: the figures the README reports. Runs on this machine's
 * PostgreSQL and on embedded PGlite. `npm run bench -- sync reports` runs
 * only the sections named (ui, reports-ui, local, sync, reports, attachments, export;
 * ui-profile and ui-compare only run when named: where the UI's time goes, and two renderer
 * builds side by side, the other one's checkout in BENCH_UI_BASELINE). BENCH_ENTRIES overrides the 10,000;
 * BENCH_REPORT_PEOPLE overrides the people of the report benchmark (200 on
 * PostgreSQL, 20 on PGlite).
 */
import os from "node:os";
import { benchAttachments } from "./attachments.js";
import { benchLocalWrites } from "./local-writes.js";
import { benchReports, CACHED_RUNS, COMPUTED_RUNS } from "./reports.js";
import { benchReportsUi } from "./reports-ui.js";
import { fmt } from "./stats.js";
import { benchSync } from "./sync-throughput.js";
import { benchUi } from "./ui.js";
import { compareUi } from "./ui-compare.js";
import { profileUi } from "./ui-profile.js";
import { benchWorkspaceExport } from "./workspace-export.js";

const entries = Number(process.env.BENCH_ENTRIES ?? 10_000);
const named = process.argv.slice(2);
const wanted = (section: string) => named.length === 0 || named.includes(section);

console.log(`# Hoursync benchmarks (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version})\n`);

if (wanted("ui")) {
  const ui = await benchUi(entries);
  console.log(`Desktop UI in Chromium (${fmt(ui.entries)} local entries, ${fmt(ui.weekEntries)} of them in the week shown, 1440x900; load average ${fmt(os.loadavg()[0]!, 1)}):`);
  console.log(
    `  first meaningful paint (timer bar and the week's entries on screen): median ${fmt(ui.paintMedianMs)} ms of ${ui.paintRuns.length} loads ` +
      `(goal: under 1 s); the loads in order: ${ui.paintRuns.map((ms) => fmt(ms)).join(", ")} ms (each in a fresh browser context: nothing cached)`,
  );
  console.log(`  keystroke to screen in the timer bar: p50 ${fmt(ui.keyP50Ms, 1)} ms, p95 ${fmt(ui.keyP95Ms, 1)} ms over ${ui.keystrokes} keys (goal: p95 under 16 ms)`);
  console.log(`    of which the wait for the next frame to begin (the 60 Hz frame clock's): p95 ${fmt(ui.keyWaitP95Ms, 1)} ms; that frame's own work: p50 ${fmt(ui.keyFrameP50Ms, 1)} ms, p95 ${fmt(ui.keyFrameP95Ms, 1)} ms`);
  console.log(`  the same typing into a bare <input> in the same browser (the floor of machine and method): p50 ${fmt(ui.bareKeyP50Ms, 1)} ms, p95 ${fmt(ui.bareKeyP95Ms, 1)} ms (its wait for the next frame: p95 ${fmt(ui.bareKeyWaitP95Ms, 1)} ms)`);
  console.log(
    `  the same with Chromium's frame clock unpaced (no 60 Hz limit, no vsync: the app's own key-to-frame time): p50 ${fmt(ui.unpaced.keyP50Ms, 1)} ms, p95 ${fmt(ui.unpaced.keyP95Ms, 1)} ms over ${ui.unpaced.keystrokes} keys; bare <input> p50 ${fmt(ui.unpaced.bareKeyP50Ms, 1)} ms, p95 ${fmt(ui.unpaced.bareKeyP95Ms, 1)} ms`,
  );
  console.log(`  main-thread task time: ${fmt(ui.paintTaskMs)} ms up to the first paint (median), ${fmt(ui.keyTaskMs, 1)} ms per keystroke (includes the 150 ms-settled suggestions)\n`);
}

// Not part of the figures: where the UI's time goes (only when named).
if (named.includes("ui-profile")) await profileUi(entries);
if (named.includes("ui-compare")) {
  const baseline = process.env.BENCH_UI_BASELINE;
  if (!baseline) throw new Error("ui-compare needs BENCH_UI_BASELINE: the folder of another checkout (with its node_modules) to compare with");
  await compareUi(baseline, entries);
}

if (wanted("reports-ui")) {
  const people = process.env.BENCH_REPORT_PEOPLE ? Number(process.env.BENCH_REPORT_PEOPLE) : 200;
  const r = await benchReportsUi(people);
  console.log(
    `Reports screen in Chromium (PostgreSQL, ${fmt(r.users)} people, ${fmt(r.entries)} entries over a year, 1440x900; ` +
      `from the server's answer reaching the window to chart and table on screen; goal: under 1 s; load average ${fmt(os.loadavg()[0]!, 1)}):`,
  );
  for (const c of r.cases) {
    console.log(`  by ${c.grouping} (${fmt(c.rows)} bars and rows): ${c.renderMs.map((ms) => `${fmt(ms)} ms`).join(", ")} (worst ${fmt(Math.max(...c.renderMs))} ms)`);
  }
  console.log("");
}

if (wanted("local")) {
  const local = benchLocalWrites(entries);
  console.log(`Local writes (${fmt(local.count)} entries, each with its outbox row, WAL file):`);
  console.log(`  p50 ${fmt(local.p50, 3)} ms, p95 ${fmt(local.p95, 3)} ms, p99 ${fmt(local.p99, 3)} ms\n`);
}

if (wanted("sync")) {
  console.log(
    "| database | entries | push (entries/s) | direct insert (entries/s) | push / direct | pull (entries/s) | reconnect to synced | reconnect (changes/s) |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const kind of ["postgres", "pglite"] as const) {
    const r = await benchSync(kind, entries);
    console.log(
      `| ${r.database} | ${fmt(r.entries)} | ${fmt(r.pushPerSecond)} | ${fmt(r.directInsertPerSecond)} | ${fmt(r.pushPerSecond / r.directInsertPerSecond, 2)} | ` +
        `${fmt(r.pullPerSecond)} | ${fmt(r.reconnectSeconds, 2)} s | ${fmt(r.entries / r.reconnectSeconds)} |`,
    );
  }
}

if (wanted("reports")) {
  const reportPeople = process.env.BENCH_REPORT_PEOPLE ? Number(process.env.BENCH_REPORT_PEOPLE) : undefined;
  console.log(
    `\nReports (reports.summary over HTTP as the owner, one year of weekday entries; goal: under 500 ms for 200 people; ` +
      `load average ${fmt(os.loadavg()[0]!, 1)} at start).`,
  );
  console.log(
    `First run: a cache miss on the freshly loaded database. Computed: median of ${COMPUTED_RUNS - 1} more cache misses. ` +
      `Cached: median of ${CACHED_RUNS} cache hits.\n`,
  );
  console.log("| database | entries | report | groups | first run | computed | cached |");
  console.log("|---|---|---|---|---|---|---|");
  const loads: string[] = [];
  for (const kind of ["postgres", "pglite"] as const) {
    const r = await benchReports(kind, { users: reportPeople });
    for (const c of r.cases) {
      console.log(
        `| ${r.database} | ${fmt(r.entries)} (${r.users} people) | ${c.name} | ${fmt(c.groups)} | ${fmt(c.firstMs)} ms | ${fmt(c.computedMedianMs)} ms | ${fmt(c.cachedMedianMs)} ms |`,
      );
    }
    loads.push(`${r.database}: ${fmt(r.entries)} entries bulk-loaded in ${fmt(r.loadSeconds, 1)} s${r.note ? ` (${r.note})` : ""}`);
  }
  console.log(`\n${loads.map((l) => `- ${l}`).join("\n")}`);
}

if (wanted("attachments")) {
  console.log(
    "\nAttachments (one file through attachments.upload from a file-backed Blob, then GET to a file; the server runs in its own process; " +
      "peak = its highest resident memory above the level before the transfer):\n",
  );
  console.log("| database | file | upload | server peak during upload | download | server peak during download |");
  console.log("|---|---|---|---|---|---|");
  for (const kind of ["postgres", "pglite"] as const) {
    for (const mb of [50, 200]) {
      const r = await benchAttachments(kind, mb);
      console.log(
        `| ${r.database} | ${r.megabytes} MB | ${fmt(r.uploadMBps)} MB/s | ${fmt(r.uploadPeakRssMB, 1)} MB | ${fmt(r.downloadMBps)} MB/s | ${fmt(r.downloadPeakRssMB, 1)} MB |`,
      );
    }
  }
}
if (wanted("export")) {
  const large = Number(process.env.BENCH_EXPORT_ENTRIES ?? 200_000);
  console.log(
    `\nWhole-workspace export (GET /export/workspace.zip over real HTTP; the server runs in its own process; ` +
      `peak = its highest resident memory above the level before the export; load average ${fmt(os.loadavg()[0]!, 1)}):\n`,
  );
  console.log("| database | entries | zip | time | server peak RSS | heap retained after GC |");
  console.log("|---|---|---|---|---|---|");
  for (const kind of ["postgres", "pglite"] as const) {
    const r = await benchWorkspaceExport(kind, kind === "pglite" ? [1000, 10_000, Math.min(large, 50_000)] : [1000, 20_000, 50_000, large]);
    for (const x of r.runs) {
      console.log(
        `| ${r.database} | ${fmt(x.entries)} | ${fmt(x.megabytes, 1)} MB | ${fmt(x.seconds, 1)} s | ${fmt(x.peakRssMB, 1)} MB | ${fmt(x.retainedMB, 1)} MB |`,
      );
    }
  }
}
process.exit(0);
