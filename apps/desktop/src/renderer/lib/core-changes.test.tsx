import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { refreshChanged } from "./core-changes";

/** The core's answers, in the order the reads reach it: the first is held until the test lets it go. */
let reads: { resolve: (v: string) => void; promise: Promise<string> }[] = [];
let current = "";

function read(): Promise<string> {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  reads.push({ resolve, promise });
  return promise;
}

function Week() {
  const entries = useQuery({ queryKey: ["entries", "week"], queryFn: read });
  return <p>{entries.data ?? "(reading)"}</p>;
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Week />
    </QueryClientProvider>,
  );
  return client;
}

/** Answers every read still waiting with what the core holds now. */
async function answerAll() {
  await act(async () => {
    for (const r of reads) r.resolve(current);
  });
}

afterEach(() => {
  cleanup();
  reads = [];
});

describe("a change that lands while a screen is on its first read", () => {
  it("shows once that read is done (the read is started again, not joined)", async () => {
    current = "nothing yet";
    const client = mount();
    await screen.findByText("(reading)");
    expect(reads).toHaveLength(1);
    // The workspace's first pull lands while the screen's first read is on its way.
    current = "Globex audit prep";
    act(() => void refreshChanged(client, ["entries"]));
    await waitFor(() => expect(reads).toHaveLength(2));
    await answerAll();
    expect(await screen.findByText("Globex audit prep")).toBeTruthy();
  });

  it("which plain invalidation would lose: it joins the read on its way (why refreshChanged exists)", async () => {
    current = "nothing yet";
    const client = mount();
    await screen.findByText("(reading)");
    current = "Globex audit prep";
    await act(async () => void client.invalidateQueries({ queryKey: ["entries"] }));
    expect(reads).toHaveLength(1);
    reads[0]!.resolve("nothing yet");
    expect(await screen.findByText("nothing yet")).toBeTruthy();
  });

  it("reads a screen that has an answer again at once, as before", async () => {
    current = "Design review";
    const client = mount();
    await answerAll();
    await screen.findByText("Design review");
    current = "Design review with Ana";
    act(() => void refreshChanged(client));
    await waitFor(() => expect(reads).toHaveLength(2));
    await answerAll();
    expect(await screen.findByText("Design review with Ana")).toBeTruthy();
  });
});
