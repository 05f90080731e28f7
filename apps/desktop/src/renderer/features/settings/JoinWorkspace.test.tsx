import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { invitationLink } from "../../lib/invitation-link";

const calls = vi.hoisted(() => [] as unknown[]);
vi.mock("../../lib/trpc", () => ({
  api: { session: { acceptInvitation: { mutate: async (input: unknown) => (calls.push(input), null) } } },
}));
const { JoinWorkspace } = await import("./JoinWorkspace");

afterEach(() => {
  cleanup();
  calls.length = 0;
});

describe("joining another workspace from Settings", () => {
  it("refuses what is not an invitation link, and joins with the token of one", async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <JoinWorkspace />
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    const field = screen.getByLabelText(/Join another workspace/);
    await user.type(field, "https://example.com/nothing-here");
    await user.click(screen.getByRole("button", { name: "Join" }));
    expect(screen.getByRole("alert").textContent).toMatch(/not an invitation link/);
    expect(calls).toEqual([]);

    const token = "0c8f7e5a-1b2c-4d3e-8f90-123456789abc.hsi_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    await user.clear(field);
    await user.click(field);
    await user.paste(invitationLink("https://time.example.com", token));
    await user.click(screen.getByRole("button", { name: "Join" }));
    await waitFor(() => expect(calls).toEqual([{ invitationToken: token }]));
  });
});
