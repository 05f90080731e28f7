import { describe, expect, it } from "vitest";
import { announceSyncs, ChangeFeed, type ChangeEvent } from "./change-feed.js";

describe("change feed", () => {
  it("tells subscribers what changed and stops when unsubscribed", () => {
    const feed = new ChangeFeed();
    const seen: ChangeEvent[] = [];
    const stop = feed.subscribe((e) => seen.push(e));
    feed.emit(["entries"]);
    stop();
    feed.emit(["sync"]);
    expect(seen.map((e) => e.topics)).toEqual([["entries"]]);
  });

  it("streams until its signal aborts", async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const got: string[][] = [];
    const reading = (async () => {
      for await (const e of feed.stream(controller.signal)) got.push(e.topics);
    })();
    await new Promise((r) => setTimeout(r, 0));
    feed.emit(["entries"]);
    feed.emit(["catalog"]);
    await new Promise((r) => setTimeout(r, 0));
    controller.abort();
    await reading;
    expect(got).toEqual([["entries"], ["catalog"]]);
  });

  it("announces the start and the end of each sync run, failed ones too", async () => {
    const feed = new ChangeFeed();
    const seen: string[][] = [];
    feed.subscribe((e) => seen.push(e.topics));
    let fail = false;
    const engine = { syncNow: async () => { if (fail) throw new Error("offline"); return []; } };
    announceSyncs(engine, feed);
    await engine.syncNow();
    fail = true;
    await expect(engine.syncNow()).rejects.toThrow("offline");
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.filter((t) => t.length === 1)).toHaveLength(2);
    expect(seen.filter((t) => t.includes("entries"))).toHaveLength(2);
  });
});
