/**
 * The short form of `npm run bench:soak` for CI: the load benchmark's mix
 * against a PostgreSQL server in a process of its own for 20 s, its heap
 * read after a full GC every 3 s. No call may fail; the memory rule is
 * looser than the long form's (a few samples over 20 s are noise,
 * not a trend). PostgreSQL only, like the soak.
 */
import { describe, expect, it } from "vitest";
import { Recorder } from "../../../bench/load/recorder.js";
import { judge, runSoak, slope, type TimedSample } from "../../../bench/load/soak-run.js";
import { testDbKind } from "../../support/database.js";

const onPostgres = testDbKind() === "postgres";
if (!onPostgres) console.info("soak-short.test.ts: skipped on PGlite: the soak runs on PostgreSQL (npm run bench:soak)");

const MiB = 1024 * 1024;
const sample = (atSeconds: number, heapMiB: number): TimedSample => ({ atSeconds, heapUsedBytes: heapMiB * MiB, rssBytes: 200 * MiB, afterGc: true });

describe("the soak's verdict", () => {
  it("fits the heap's slope and fails on growth past the allowed share or on any failed call", async () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2);
    const ok = new Recorder();
    await ok.time("entries.list", async () => {});
    const flat = judge([0, 30, 60, 90, 120, 150].map((t) => sample(t, 50)), ok, 10);
    expect(flat.failures).toEqual([]);
    expect(flat.heapSlopeMiBPerMinute).toBeCloseTo(0);

    const leaking = judge([0, 60, 120, 180, 240, 300].map((t, i) => sample(t, 50 + i * 3)), ok, 10);
    expect(leaking.heapGrowthPercent).toBeCloseTo((63.5 - 51.5) / 51.5 * 100);
    expect(leaking.heapSlopeMiBPerMinute).toBeCloseTo(3);
    expect(leaking.failures).toEqual([expect.stringContaining("heap after GC grew 23.3%")]);

    const failing = new Recorder();
    await failing.time("entries.list", async () => {
      throw Object.assign(new Error("busy"), { data: { code: "SERVICE_UNAVAILABLE" } });
    });
    expect(judge([0, 30, 60].map((t) => sample(t, 50)), failing, 10).failures).toEqual([expect.stringContaining("1 of 1 calls failed")]);
  });
});

describe.skipIf(!onPostgres)("soak, short form", () => {
  it("runs the mix for 20 s with no failed call and no runaway heap", { timeout: 240_000 }, async () => {
    const result = await runSoak({
      seconds: 20,
      sampleEverySeconds: 3,
      workspaces: 4,
      usersPerWorkspace: 5,
      pauseMs: 2_000,
      warmUpSeconds: 5,
      maxHeapGrowthPercent: 50,
    });
    const overall = result.recorder.overall();
    console.info(
      `soak short form: ${overall.calls} calls, heap after GC ${(result.heapFirstThird / MiB).toFixed(1)} -> ${(result.heapLastThird / MiB).toFixed(1)} MiB ` +
        `(${result.heapGrowthPercent.toFixed(1)}%, slope ${result.heapSlopeMiBPerMinute.toFixed(2)} MiB/min)`,
    );
    expect(overall.errors).toEqual({});
    expect(overall.calls).toBeGreaterThan(100);
    expect(result.samples.length).toBeGreaterThanOrEqual(6);
    expect(result.samples.every((s) => s.afterGc)).toBe(true);
    expect(result.failures).toEqual([]);
  });
});
