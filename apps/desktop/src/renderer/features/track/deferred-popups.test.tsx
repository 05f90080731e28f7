import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// The pickers read the catalog through the local API client: a stand-in with one project and one tag.
vi.mock("../../lib/trpc", () => ({
  api: {
    catalog: {
      projects: { query: async () => [{ id: "p1", clientId: null, name: "Website", color: "#2563eb", billable: true, archived: false }] },
      clients: { query: async () => [] },
      tags: { query: async () => [{ id: "t1", name: "meeting" }] },
    },
  },
}));
const { ProjectPicker } = await import("./ProjectPicker");
const { TagPicker } = await import("./TagPicker");
const { EntryMenu } = await import("./EntryMenu");

function show(node: React.ReactNode) {
  return render(<QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>);
}

afterEach(cleanup);

describe("pickers and the row's menu, mounted when first reached", () => {
  it("the project picker reads as before until opened, then opens its search on the first click and picks", async () => {
    const picked: (string | null)[] = [];
    show(<ProjectPicker value="p1" onChange={(id) => picked.push(id)} />);
    const trigger = await screen.findByRole("button", { name: /^Project: Website/ });
    expect(trigger.getAttribute("aria-haspopup")).toBe("dialog");
    expect(trigger.getAttribute("aria-expanded")).toBe("false");
    await userEvent.click(trigger);
    expect(await screen.findByPlaceholderText("Search projects")).toBeTruthy();
    expect(screen.getByRole("button", { name: /^Project: Website/ }).getAttribute("aria-expanded")).toBe("true");
    await userEvent.click(await screen.findByText("No project"));
    expect(picked).toEqual([null]);
    expect(screen.queryByPlaceholderText("Search projects")).toBeNull();
  });

  it("a disabled picker cannot be opened", async () => {
    show(<TagPicker value={[]} onChange={() => {}} disabled />);
    const trigger = screen.getByRole("button", { name: "# Tags" });
    expect(trigger).toHaveProperty("disabled", true);
    await userEvent.click(trigger);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("the tag picker opens from the keyboard (Enter on its button) and toggles a tag", async () => {
    const chosen: string[][] = [];
    show(<TagPicker value={[]} onChange={(ids) => chosen.push(ids)} />);
    await screen.findByRole("button", { name: "# Tags" });
    await userEvent.tab();
    await userEvent.keyboard("{Enter}");
    await userEvent.click(await screen.findByRole("checkbox", { name: "meeting" }));
    expect(chosen).toEqual([["t1"]]);
  });

  it("the row's menu opens at the first press and runs the chosen action; a disabled action does not run", async () => {
    const ran: string[] = [];
    show(
      <EntryMenu
        actions={[
          { label: "Duplicate", run: () => ran.push("duplicate"), disabled: true },
          { label: "Delete", run: () => ran.push("delete"), disabled: false },
        ]}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "More actions" }));
    expect(screen.getByRole("menuitem", { name: "Duplicate" }).getAttribute("data-disabled")).not.toBeNull();
    await userEvent.click(screen.getByRole("menuitem", { name: "Delete" }));
    expect(ran).toEqual(["delete"]);
  });

  it("the row's menu keeps the focus when reached by Tab (the real trigger takes its place) and opens with Enter", async () => {
    show(<EntryMenu actions={[{ label: "Delete", run: () => {}, disabled: false }]} />);
    await userEvent.tab();
    const focused = document.activeElement as HTMLElement;
    expect(focused.getAttribute("aria-label")).toBe("More actions");
    expect(focused.getAttribute("aria-haspopup")).toBe("menu");
    await userEvent.keyboard("{Enter}");
    expect(await screen.findByRole("menuitem", { name: "Delete" })).toBeTruthy();
  });
});
