import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Reads again what the core says changed (every query, without a key). TanStack Query lets an
 * invalidation of a query that is on its first read (no answer yet, as after a workspace switch)
 * join that read instead of starting another, so a change that lands meanwhile (a workspace's
 * first pull finishing) would never show: such reads are cancelled first, then everything named
 * is read afresh.
 */
export async function refreshChanged(client: QueryClient, queryKey?: QueryKey): Promise<void> {
  await client.cancelQueries({ queryKey, predicate: (q) => q.state.data === undefined && q.state.fetchStatus === "fetching" });
  await client.invalidateQueries({ queryKey });
}
