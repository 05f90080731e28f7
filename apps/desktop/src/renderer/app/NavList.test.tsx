import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

// The navigation reaches the outside only through the local API client (the review count): a stand-in.
const asked = vi.hoisted(() => [] as string[]);
vi.mock("../lib/trpc", () => ({
  api: {
    online: {
      query: {
        query: async ({ path }: { path: string }) => {
          asked.push(path);
          return { data: path === "timesheets.pending" ? [{ id: "a" }, { id: "b" }] : [], fetchedAt: 0, stale: false };
        },
      },
    },
  },
}));
const { NavList } = await import("./NavList");
const { visibleItems } = await import("./navigation");
const { NAV_ITEMS } = await import("./screens");

function showFor(role: string | undefined) {
  const client = new QueryClient();
  const items = visibleItems(NAV_ITEMS, role);
  return render(
    <QueryClientProvider client={client}>
      <nav aria-label="Main">
        <NavList items={items} current="track" go={() => undefined} />
      </nav>
    </QueryClientProvider>,
  );
}

const labels = () => within(screen.getByRole("navigation")).getAllByRole("button").map((b) => b.textContent?.replace(/Alt\+\d/, "").trim());

afterEach(() => {
  cleanup();
  asked.length = 0;
});

describe("role-based navigation", () => {
  it("never shows Review to an employee (nor to an unknown role), and asks nothing of the server for it", async () => {
    showFor("EMPLOYEE");
    expect(labels()).not.toContain("Review");
    expect(labels()).toEqual(expect.arrayContaining(["Track", "Timesheet", "Settings"]));
    cleanup();
    showFor(undefined);
    expect(labels()).not.toContain("Review");
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]);
  });

  it("shows Review with the number of timesheets waiting to managers and up", async () => {
    for (const role of ["MANAGER", "ADMIN", "OWNER"]) {
      showFor(role);
      const review = within(screen.getByRole("navigation")).getByRole("button", { name: /Review/ });
      await vi.waitFor(() => expect(within(review).getByTestId("review-count").textContent).toBe("2 waiting"));
      cleanup();
    }
  });

  it("follows a role change: the same person, promoted after a sync, sees Review", () => {
    const { rerender } = showFor("EMPLOYEE");
    expect(labels()).not.toContain("Review");
    rerender(
      <QueryClientProvider client={new QueryClient()}>
        <nav aria-label="Main">
          <NavList items={visibleItems(NAV_ITEMS, "MANAGER")} current="track" go={() => undefined} />
        </nav>
      </QueryClientProvider>,
    );
    expect(labels().some((l) => l?.startsWith("Review"))).toBe(true);
  });
});
