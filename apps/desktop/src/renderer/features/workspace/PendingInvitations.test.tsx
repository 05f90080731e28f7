import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// The local API is the component's only way out: the server's answer, and the writes recorded.
const revoked = vi.hoisted(() => [] as unknown[]);
const none = { entries: 0, timesheets: 0, attachments: 0 };
const inAWeek = new Date(Date.now() + 7 * 86_400_000);
vi.mock("../../lib/trpc", () => ({
  api: {
    online: {
      query: {
        query: async () => ({
          data: [
            { id: "i1", email: "ana@example.com", role: "EMPLOYEE", createdAt: new Date(), expiresAt: inAWeek, held: { entries: 12, timesheets: 1, attachments: 2 } },
            { id: "i2", email: "bo@example.com", role: "MANAGER", createdAt: new Date(), expiresAt: inAWeek, held: none },
          ],
          fetchedAt: Date.now(),
          stale: false,
        }),
      },
      mutate: { mutate: async (input: unknown) => (revoked.push(input), { ok: true }) },
    },
  },
}));
const { PendingInvitations } = await import("./PendingInvitations");
const { heldWords } = await import("./held-words");

afterEach(() => {
  cleanup();
  revoked.length = 0;
});

function show() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <PendingInvitations />
    </QueryClientProvider>,
  );
}

const rowOf = async (email: string) => (await screen.findByText(email, { exact: false })).closest("li")!;

describe("pending invitations", () => {
  it("says what an import holds for an invitation, and asks before revoking it, since that time goes with it", async () => {
    show();
    const ana = await rowOf("ana@example.com");
    expect(ana.textContent).toContain("Holds 12 entries, 1 timesheet and 2 files from an imported archive");
    const user = userEvent.setup();
    await user.click(within(ana).getByRole("button", { name: "Revoke the invitation for ana@example.com" }));
    expect(revoked).toEqual([]);
    expect(within(ana).getByText("Their 12 entries, 1 timesheet and 2 files will be deleted.")).toBeTruthy();
    await user.click(within(ana).getByRole("button", { name: "Keep" }));
    expect(revoked).toEqual([]);
    await user.click(within(ana).getByRole("button", { name: "Revoke the invitation for ana@example.com" }));
    await user.click(within(ana).getByRole("button", { name: "Revoke and delete" }));
    await waitFor(() => expect(revoked).toEqual([{ path: "members.revokeInvitation", input: { id: "i1" } }]));
  });

  it("revokes an invitation that holds nothing at once, and says nothing of held time", async () => {
    show();
    const bo = await rowOf("bo@example.com");
    expect(bo.textContent).not.toContain("Holds");
    await userEvent.setup().click(within(bo).getByRole("button", { name: "Revoke the invitation for bo@example.com" }));
    await waitFor(() => expect(revoked).toEqual([{ path: "members.revokeInvitation", input: { id: "i2" } }]));
  });
});

describe("heldWords", () => {
  it("names only what is held, in the singular for one", () => {
    expect(heldWords(none)).toBeNull();
    expect(heldWords({ entries: 1, timesheets: 0, attachments: 0 })).toBe("1 entry");
    expect(heldWords({ entries: 0, timesheets: 2, attachments: 1 })).toBe("2 timesheets and 1 file");
    expect(heldWords({ entries: 1200, timesheets: 3, attachments: 4 })).toBe(`${(1200).toLocaleString()} entries, 3 timesheets and 4 files`);
  });
});
