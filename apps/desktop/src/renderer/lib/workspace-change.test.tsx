import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { readAfreshForWorkspace } from "./workspace-change";

/** What the core would answer now: the test moves it as a workspace switch and later changes would. */
let answer: string | Promise<string> = "";
let sessionReads = 0;

function Screen() {
  const session = useQuery({ queryKey: ["session"], queryFn: async () => (sessionReads++, "signed in") });
  const prompt = useQuery({ queryKey: ["settings", "idle"], queryFn: async () => answer });
  return (
    <p>
      {session.data} / {prompt.data ?? "(reading)"}
    </p>
  );
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Screen />
    </QueryClientProvider>,
  );
  return client;
}

afterEach(() => {
  cleanup();
  sessionReads = 0;
});

describe("reading afresh after a workspace change", () => {
  it("empties the open screen's answers at once, then shows the new workspace's", async () => {
    answer = "Acme's answer";
    const client = mount();
    await screen.findByText("signed in / Acme's answer");
    let arrive!: (a: string) => void;
    answer = new Promise((resolve) => (arrive = resolve));
    let done!: Promise<void>;
    act(() => {
      done = readAfreshForWorkspace(client);
    });
    // While the new workspace's answer is on its way, not the previous one's.
    await screen.findByText("signed in / (reading)");
    arrive("Globex's answer");
    await act(() => done);
    expect(await screen.findByText("signed in / Globex's answer")).toBeTruthy();
    expect(sessionReads).toBe(2);
  });

  it("leaves the open screen listening: a later change event still refreshes it", async () => {
    // The screen re-renders for nothing in between, as when the session was already read afresh.
    answer = "no prompt";
    const client = mount();
    await screen.findByText("signed in / no prompt");
    await act(() => readAfreshForWorkspace(client));
    answer = "You were away";
    await act(() => client.invalidateQueries({ queryKey: ["settings"] }));
    expect(await screen.findByText("signed in / You were away")).toBeTruthy();
  });
});
