import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// The local API is the component's only way out: a recording stand-in.
const calls = vi.hoisted(() => [] as { path: string; input: unknown }[]);
vi.mock("../../lib/trpc", () => ({
  api: {
    online: { mutate: { mutate: async (input: unknown) => (calls.push({ path: "online.mutate", input }), { deleted: true }) } },
    session: {
      forgetWorkspace: { mutate: async (input: unknown) => (calls.push({ path: "session.forgetWorkspace", input }), null) },
      refreshWorkspaces: { mutate: async () => (calls.push({ path: "session.refreshWorkspaces", input: undefined }), []) },
    },
  },
}));
const { DeleteWorkspace } = await import("./DeleteWorkspace");
const { ServerView } = await import("./ServerView");

afterEach(() => {
  cleanup();
  calls.length = 0;
});

describe("deleting the workspace", () => {
  it("needs the name typed exactly, then deletes on the server and leaves the workspace on this device", async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <DeleteWorkspace workspaceId="ws-1" name="Acme Studio" />
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    const button = screen.getByRole("button", { name: "Delete workspace" });
    await user.type(screen.getByLabelText(/to confirm/), "acme studio");
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await user.clear(screen.getByLabelText(/to confirm/));
    await user.type(screen.getByLabelText(/to confirm/), "Acme Studio");
    await user.click(button);
    await waitFor(() => expect(calls.map((c) => c.path)).toEqual(["online.mutate", "session.forgetWorkspace", "session.refreshWorkspaces"]));
    expect(calls[0]!.input).toEqual({ path: "workspace.delete", input: { confirmName: "Acme Studio" } });
    expect(calls[1]!.input).toEqual({ workspaceId: "ws-1", discardUnsynced: true });
  });
});

describe("a server view offline", () => {
  it("shows the last answer marked as not current, with when it was loaded", () => {
    const fetchedAt = new Date(2026, 10, 30, 9, 5).getTime();
    render(
      <ServerView query={{ data: ["Ana"], error: null, isPending: false, stale: true, fetchedAt }} what="members">
        {(names) => <p>{names.join(", ")}</p>}
      </ServerView>,
    );
    expect(screen.getByText("Ana")).toBeTruthy();
    expect(screen.getByRole("status").textContent).toMatch(/^Offline: not current, last loaded .*2026/);
  });
});
