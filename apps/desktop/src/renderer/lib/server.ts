import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { createTRPCClient } from "@trpc/client";
import type { AppRouter } from "@hoursync/contract";
import { keys } from "./query-keys";
import { api } from "./trpc";

/** The server's procedures as the tRPC client types them (only their types are used here). */
type Server = ReturnType<typeof createTRPCClient<AppRouter>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type QueryProcedure = { query: (...args: any[]) => Promise<unknown> };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MutationProcedure = { mutate: (...args: any[]) => Promise<unknown> };
type InputOf<P, K extends "query" | "mutate"> = P extends Record<K, (input: infer I, ...rest: never[]) => unknown> ? I : never;
type OutputOf<P, K extends "query" | "mutate"> = P extends Record<K, (...args: never[]) => Promise<infer O>> ? O : never;

const PATH = Symbol("path");

/** A stand-in for the server's client that only records which procedure was picked. */
function pathRecorder(path: string[] = []): unknown {
  return new Proxy(() => undefined, {
    get: (_target, prop) => (prop === PATH ? path.join(".") : pathRecorder([...path, String(prop)])),
  });
}

function pathOf(pick: (server: Server) => unknown): string {
  return (pick(pathRecorder() as Server) as { [PATH]: string })[PATH];
}

/**
 * A view's read of the server, through the core (which holds the session): typed from the
 * server's AppRouter, refreshed when the core reports a change. Offline it answers the last
 * answer this device got, with `stale` set: the view must say it is not current.
 *
 *   const queue = useServerQuery((s) => s.timesheets.pending, undefined);
 */
export function useServerQuery<P extends QueryProcedure>(
  pick: (server: Server) => P,
  input: InputOf<P, "query">,
  options: { enabled?: boolean; refetchInterval?: number } = {},
) {
  const path = pathOf(pick);
  const query = useQuery({
    queryKey: keys.online(path, input),
    queryFn: () => api.online.query.query({ path, input }),
    enabled: options.enabled,
    // Others' work (a colleague's submission) reaches no change feed here: a view may ask to poll.
    refetchInterval: options.refetchInterval,
    // Keep showing the previous answer while a new one loads (filters, paging).
    placeholderData: (previous) => previous,
  });
  return {
    ...query,
    data: query.data?.data as OutputOf<P, "query"> | undefined,
    fetchedAt: query.data?.fetchedAt ?? null,
    /** True when this is the last answer seen, shown because the server cannot be reached. */
    stale: query.data?.stale ?? false,
  };
}

/**
 * A view's write to the server, sent now (never queued: offline it fails with a clear error).
 * Every online view reloads after it succeeds.
 *
 *   const approve = useServerMutation((s) => s.timesheets.approve);
 *   approve.mutate({ id });
 */
export function useServerMutation<P extends MutationProcedure>(pick: (server: Server) => P) {
  const path = pathOf(pick);
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: InputOf<P, "mutate">) => (await api.online.mutate.mutate({ path, input })) as OutputOf<P, "mutate">,
    onSuccess: () => client.invalidateQueries({ queryKey: ["online"] }),
  });
}

/** A server read's answer as the core gives it (see OnlineCalls.query). */
interface Answer {
  data: unknown;
  fetchedAt: number;
  stale: boolean;
}

/**
 * Puts what a write of this window answered into a read's answer at once, so the view shows the
 * write's result even before (or if, offline again, instead of) the refresh that follows it.
 */
export function updateServerAnswer<P extends QueryProcedure>(
  client: QueryClient,
  pick: (server: Server) => P,
  input: InputOf<P, "query">,
  update: (previous: OutputOf<P, "query"> | undefined) => OutputOf<P, "query">,
): void {
  client.setQueryData<Answer>(keys.online(pathOf(pick), input), (previous) => ({
    data: update(previous?.data as OutputOf<P, "query"> | undefined),
    fetchedAt: previous?.fetchedAt ?? Date.now(),
    stale: previous?.stale ?? false,
  }));
}

