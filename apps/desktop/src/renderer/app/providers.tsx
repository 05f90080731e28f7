import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { refreshChanged } from "../lib/core-changes";
import { prefetchFirstScreen } from "../lib/data";
import { api } from "../lib/trpc";

/** Refreshes the queries of whatever the core says changed (its change feed), instead of polling. */
function CoreEvents() {
  const client = useQueryClient();
  useEffect(() => {
    let connectedBefore = false;
    const sub = api.events.changes.subscribe(undefined, {
      // Changes made while the stream was down (for whatever reason) were never announced: once it is back, read everything again.
      onConnectionStateChange: (state) => {
        if (state.state !== "pending") return;
        if (connectedBefore) void refreshChanged(client);
        connectedBefore = true;
      },
      onData: (event) => {
        for (const topic of event.topics) void refreshChanged(client, [topic]);
      },
    });
    return () => sub.unsubscribe();
  }, [client]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => {
    const created = new QueryClient({
      defaultOptions: {
        // The core pushes changes; data is fresh until it says otherwise. Local calls do not need retries.
        queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
        mutations: { retry: false },
      },
    });
    prefetchFirstScreen(created);
    return created;
  });
  return (
    <QueryClientProvider client={client}>
      <CoreEvents />
      {children}
    </QueryClientProvider>
  );
}
