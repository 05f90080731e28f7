import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SyncStatus } from "../../lib/data";
import { summarizeSync } from "./sync-summary";

// The panel's only dependency on the outside is the local API client: a recording stand-in.
const calls = vi.hoisted(() => [] as { path: string; input: unknown }[]);
vi.mock("../../lib/trpc", () => ({
  api: {
    sync: {
      now: { mutate: async () => (calls.push({ path: "sync.now", input: undefined }), []) },
      discard: { mutate: async (input: unknown) => (calls.push({ path: "sync.discard", input }), null) },
    },
  },
}));
const { SyncPanel } = await import("./SyncPanel");

const NOW = new Date(2026, 11, 1, 10, 0).getTime();
const base: SyncStatus = {
  pending: 0,
  rejected: [],
  lastSyncedAt: NOW - 120_000,
  lastError: null,
  running: false,
  consecutiveFailures: 0,
  nextAttemptAt: NOW + 60_000,
};

function show(status: SyncStatus) {
  const client = new QueryClient();
  return render(
    <QueryClientProvider client={client}>
      <SyncPanel status={status} summary={summarizeSync(status, NOW)} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  calls.length = 0;
});

describe("sync status", () => {
  it("summarizes: synced, waiting, offline with the error and the next try, refused first", () => {
    expect(summarizeSync(base, NOW)).toMatchObject({ tone: "ok", label: "Synced", online: true });
    expect(summarizeSync(base, NOW).detail).toContain("2 minutes ago");
    expect(summarizeSync({ ...base, pending: 3 }, NOW)).toMatchObject({ tone: "busy", label: "3 waiting" });
    const offline = summarizeSync({ ...base, pending: 2, consecutiveFailures: 2, lastError: "The server cannot be reached", nextAttemptAt: NOW + 40_000 }, NOW);
    expect(offline).toMatchObject({ tone: "offline", label: "Offline · 2 waiting", online: false });
    expect(offline.detail).toContain("The server cannot be reached. Retrying in 40 s.");
    expect(summarizeSync({ ...base, rejected: { length: 1 } as never, pending: 1 }, NOW)).toMatchObject({ tone: "refused", label: "1 refused" });
  });

  it("shows the waiting count and each refused change with its reason in words; discard sends the change's id", async () => {
    const status: SyncStatus = {
      ...base,
      pending: 2,
      rejected: [
        {
          mutationId: 41,
          name: "entry.put",
          entityId: "e1",
          reason: "LOCKED_PERIOD",
          message: "Period is locked",
          entry: { workspaceId: "w", id: "e1", userId: "u", projectId: null, taskId: null, description: "Planning", start: NOW - 86_400_000, end: NOW - 82_800_000, billable: false, tagIds: [], updatedAt: NOW },
          attachment: null,
        },
      ] as SyncStatus["rejected"],
    };
    show(status);
    expect(screen.getByTestId("sync-pending").textContent).toBe("2");
    expect(screen.getByText(/approved and locked/)).toBeTruthy();
    expect(screen.getByText("Planning", { exact: false })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Discard my change" }));
    await vi.waitFor(() => expect(calls).toEqual([{ path: "sync.discard", input: { mutationId: 41 } }]));
    await userEvent.click(screen.getByRole("button", { name: "Sync now" }));
    await vi.waitFor(() => expect(calls.map((c) => c.path)).toContain("sync.now"));
  });

  it("says offline with the error in words, not 'fetch failed'", () => {
    const status = { ...base, pending: 1, consecutiveFailures: 1, lastError: "The server cannot be reached" };
    show(status);
    expect(screen.getByRole("heading", { name: "Offline" })).toBeTruthy();
    expect(screen.getByTestId("sync-detail").textContent).toMatch(/^The server cannot be reached\./);
    expect(screen.queryByText(/fetch failed/)).toBeNull();
  });
});
