import { QueryClient } from "@tanstack/react-query";
import { prefetchFirstScreen } from "../lib/data";

/**
 * What the window does as its code loads, before React's code runs: the query cache, with the
 * first screen's reads already on their way. The core answers them while the rest of the bundle is
 * evaluated, so the first render usually has the week to show. main.tsx imports this module first
 * for that reason (a module runs when it is first imported, in import order).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    // The core pushes changes; data is fresh until it says otherwise. Local calls do not need retries.
    queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

prefetchFirstScreen(queryClient);

// The reads' requests are sent from promise callbacks, which would otherwise run only after the
// whole bundle has been evaluated: a turn of the event loop sends them first.
await new Promise((resolve) => setTimeout(resolve, 0));
