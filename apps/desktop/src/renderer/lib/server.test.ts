import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { keys } from "./query-keys";

// Only the cache is exercised here; the local API client is never called.
vi.mock("./trpc", () => ({ api: {} }));
const { updateServerAnswer } = await import("./server");

const mineKey = keys.online("timesheets.mine", undefined);
type Sheet = { periodStart: string; status: string };

describe("updateServerAnswer", () => {
  it("puts a write's answer into the read the view shows, keeping when that read was fetched and whether it is stale", () => {
    const client = new QueryClient();
    client.setQueryData(mineKey, { data: [{ periodStart: "2026-11-02", status: "OPEN" }, { periodStart: "2026-10-26", status: "APPROVED" }], fetchedAt: 5, stale: true });
    const submitted = { periodStart: "2026-11-02", status: "SUBMITTED" };
    updateServerAnswer(client, (s) => s.timesheets.mine, undefined, (sheets) => [
      submitted as never,
      ...(sheets ?? []).filter((s) => s.periodStart !== submitted.periodStart),
    ]);
    const answer = client.getQueryData<{ data: Sheet[]; fetchedAt: number; stale: boolean }>(mineKey);
    expect(answer).toEqual({ data: [submitted, { periodStart: "2026-10-26", status: "APPROVED" }], fetchedAt: 5, stale: true });
  });

  it("makes the answer when the view had none yet (its read failed offline)", () => {
    const client = new QueryClient();
    updateServerAnswer(client, (s) => s.timesheets.mine, undefined, (sheets) => [...(sheets ?? []), { periodStart: "2026-11-02", status: "SUBMITTED" } as never]);
    const answer = client.getQueryData<{ data: Sheet[]; stale: boolean }>(mineKey);
    expect(answer?.data.map((s) => s.status)).toEqual(["SUBMITTED"]);
    expect(answer?.stale).toBe(false);
  });
});
