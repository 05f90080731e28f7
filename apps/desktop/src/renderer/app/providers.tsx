import { QueryClientProvider, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { refreshChanged } from "../lib/core-changes";
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

/** `client`: the app's one query cache (app/launch.ts), which holds the first screen's reads. */
export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <CoreEvents />
      {children}
    </QueryClientProvider>
  );
}
