import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Profiler } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

interface Running {
  id: string;
  description: string;
  projectId: string | null;
  taskId: string | null;
  tagIds: string[];
  billable: boolean;
  start: number;
  end: null;
  updatedAt: number;
}

// A stand-in for the local API (the core behind IPC): the running timer, the calls made, one
// project, one tag and one earlier entry to suggest.
const local = vi.hoisted(() => ({
  running: null as Running | null,
  calls: [] as { path: string; input: unknown }[],
}));
vi.mock("../../lib/trpc", () => {
  const call = (path: string, answer: (input: unknown) => unknown = () => null) => async (input?: unknown) => {
    local.calls.push({ path, input });
    return answer(input);
  };
  return {
    api: {
      timer: {
        running: { query: async () => local.running },
        start: { mutate: call("timer.start") },
        stop: { mutate: call("timer.stop") },
      },
      entries: {
        update: { mutate: call("entries.update") },
        suggestions: {
          query: call("entries.suggestions", () => [{ description: "Quarterly report", projectId: "p1", tagIds: ["t1"], billable: true }]),
        },
      },
      catalog: {
        projects: { query: async () => [{ id: "p1", clientId: null, name: "Website", color: "#2563eb", billable: true, archived: false }] },
        clients: { query: async () => [] },
        tags: { query: async () => [{ id: "t1", name: "meeting" }] },
      },
    },
  };
});
const { TimerBar } = await import("./TimerBar");

let commits = 0;
function show() {
  commits = 0;
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <Profiler id="timer" onRender={() => commits++}>
        <TimerBar />
      </Profiler>
    </QueryClientProvider>,
  );
}
const field = () => screen.getByTestId("timer-description") as HTMLInputElement;
const called = (path: string) => local.calls.filter((c) => c.path === path).map((c) => c.input);

beforeEach(() => {
  local.running = null;
  local.calls = [];
});
afterEach(cleanup);

describe("the timer bar (local API stand-in)", () => {
  it("a keystroke in the description redraws nothing; Enter starts the timer with what was typed", async () => {
    show();
    await screen.findByRole("button", { name: /^Project/ });
    await userEvent.click(field());
    const before = commits;
    await userEvent.keyboard("Writing the report");
    // One redraw opens the suggestions at the first key (and, on a slow machine, one when the typing
    // pauses); a controlled field redraws the bar at every one of the 18 keys.
    expect(commits - before).toBeLessThanOrEqual(3);
    expect(field().value).toBe("Writing the report");
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(called("timer.start")).toHaveLength(1));
    expect(called("timer.start")[0]).toEqual({ description: "Writing the report", projectId: null, tagIds: [], billable: false });
  });

  it("the suggestions follow the typing once it pauses, and a picked one fills the field, project, tags and billable", async () => {
    show();
    await userEvent.click(field());
    await userEvent.keyboard("Quar");
    const option = await screen.findByRole("option", { name: /Quarterly report/ });
    expect(called("entries.suggestions")).toContainEqual({ text: "Quar", limit: 6 });
    await userEvent.keyboard("{ArrowDown}");
    expect(option.getAttribute("aria-selected")).toBe("true");
    await userEvent.keyboard("{Enter}");
    expect(field().value).toBe("Quarterly report");
    expect(screen.queryByRole("option")).toBeNull();
    await screen.findByRole("button", { name: /^Project: Website/ });
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(called("timer.start")).toHaveLength(1));
    expect(called("timer.start")[0]).toEqual({ description: "Quarterly report", projectId: "p1", tagIds: ["t1"], billable: true });
  });

  it("the running entry fills the field; Stop saves the edited description and empties the field", async () => {
    local.running = {
      id: "e1",
      description: "Planning",
      projectId: null,
      taskId: null,
      tagIds: [],
      billable: false,
      start: Date.now() - 60_000,
      end: null,
      updatedAt: 1,
    };
    show();
    await waitFor(() => expect(field().value).toBe("Planning"));
    await userEvent.clear(field());
    await userEvent.type(field(), "Sprint planning");
    expect(called("entries.update")).toEqual([]);
    await userEvent.click(screen.getByRole("button", { name: "Stop" }));
    await waitFor(() => expect(called("timer.stop")).toHaveLength(1));
    expect(called("entries.update")).toEqual([{ id: "e1", changes: { description: "Sprint planning" } }]);
    await waitFor(() => expect(field().value).toBe(""));
  });
});
