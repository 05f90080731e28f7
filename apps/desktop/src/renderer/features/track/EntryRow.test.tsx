import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Entry } from "../../lib/data";

// The row's only dependency on the outside is the local API client: a recording stand-in.
const updates = vi.hoisted(() => [] as unknown[]);
vi.mock("../../lib/trpc", () => ({
  api: {
    entries: { update: { mutate: async (input: unknown) => (updates.push(input), null) } },
    catalog: { projects: { query: async () => [] }, clients: { query: async () => [] }, tags: { query: async () => [] } },
  },
}));
const { EntryRow } = await import("./EntryRow");

const entry: Entry = {
  workspaceId: "w",
  id: "00000000-0000-4000-8000-0000000000e1",
  userId: "u",
  projectId: null,
  taskId: null,
  description: "Quarterly planning",
  start: new Date(2026, 10, 3, 9).getTime(),
  end: new Date(2026, 10, 3, 11).getTime(),
  billable: false,
  tagIds: [],
  updatedAt: 0,
};

function show(locked: string | null, lockShownAbove = false) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <EntryRow entry={entry} refused={false} locked={locked} lockShownAbove={lockShownAbove} projects={[]} tags={[]} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  updates.length = 0;
});

describe("an entry in a locked period", () => {
  it("says Locked in words with the reason, and takes no typing at all", async () => {
    show("This entry is in an approved, locked period. Ask an admin to reopen it.");
    expect(screen.getByTestId("lock-badge").textContent).toMatch(/^Locked\. This entry is in an approved, locked period/);
    const description = screen.getByLabelText("Description");
    await userEvent.type(description, " (late edit)");
    await userEvent.tab();
    expect((description as HTMLInputElement).value).toBe("Quarterly planning");
    await userEvent.type(screen.getByLabelText("Duration"), "{selectall}3h{enter}");
    expect((screen.getByLabelText("Duration") as HTMLInputElement).value).toBe("2:00");
    expect(screen.getByRole("button", { name: "Billable" })).toHaveProperty("disabled", true);
    expect(screen.getByRole("button", { name: /^Project:/ })).toHaveProperty("disabled", true);
    expect(updates).toEqual([]);
  });

  it("leaves the badge to the day's header when the whole day is locked, and still takes no typing", async () => {
    show("This entry is in an approved, locked period. Ask an admin to reopen it.", true);
    expect(screen.queryByTestId("lock-badge")).toBeNull();
    expect(screen.getByLabelText("Description").getAttribute("title")).toMatch(/approved, locked period/);
    await userEvent.type(screen.getByLabelText("Description"), "x{enter}");
    expect(updates).toEqual([]);
  });

  it("an open entry is edited where it stands (the same row, not locked)", async () => {
    show(null);
    expect(screen.queryByTestId("lock-badge")).toBeNull();
    await userEvent.type(screen.getByLabelText("Description"), "!{enter}");
    expect(updates).toEqual([{ id: entry.id, changes: { description: "Quarterly planning!" } }]);
  });
});
