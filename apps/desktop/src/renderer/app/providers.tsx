import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { prefetchFirstScreen } from "../lib/data";
import { api } from "../lib/trpc";

/** Refreshes the queries of whatever the core says changed (its change feed), instead of polling. */
function CoreEvents() {
  const client = useQueryClient();
  useEffect(() => {
    const sub = api.events.changes.subscribe(undefined, {
      onData: (event) => {
        for (const topic of event.topics) void client.invalidateQueries({ queryKey: [topic] });
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
