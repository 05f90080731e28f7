import { useQuery, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { addDays, startOfWeek, warmDateFormats } from "./dates";
import { useMemo } from "react";
import { afterFirstScreen } from "./first-screen";
import { NO_LOCKS, type PeriodLocks } from "./lock-words";
import { keys } from "./query-keys";
import { api, type LocalOutputs } from "./trpc";

export type SessionStatus = LocalOutputs["session"]["status"];
export type Entry = LocalOutputs["entries"]["list"][number];
export type Project = LocalOutputs["catalog"]["projects"][number];
export type Client = LocalOutputs["catalog"]["clients"][number];
export type Tag = LocalOutputs["catalog"]["tags"][number];
export type SyncStatus = LocalOutputs["sync"]["status"];
export type Preferences = LocalOutputs["preferences"]["get"];

/** Shared reads of the local API; every one answers from the device, so they never spin for long. */
export const useSession = () => useQuery({ queryKey: keys.session(), queryFn: () => api.session.status.query() });
export const useProjects = () => useQuery({ queryKey: keys.projects(), queryFn: () => api.catalog.projects.query() });
export const useClients = () => useQuery({ queryKey: keys.clients(), queryFn: () => api.catalog.clients.query() });
export const useTags = () => useQuery({ queryKey: keys.tags(), queryFn: () => api.catalog.tags.query() });
export const useSyncStatus = () => useQuery({ queryKey: keys.sync(), queryFn: () => api.sync.status.query() });
export const usePreferences = () => useQuery({ queryKey: keys.preferences(), queryFn: () => api.preferences.get.query() });
export const useRunning = () => useQuery({ queryKey: keys.running(), queryFn: () => api.timer.running.query() });

/**
 * The person's locked time and the workspace's week start, from the lock state the last pull
 * brought (offline too). Judged at the time of the read: the rolling grace lock moves with the clock.
 */
export function useLocks(): PeriodLocks {
  const locks = useQuery({
    queryKey: keys.locks(),
    // The checker (the contract's rule, with its date library and schemas) comes in its own chunk,
    // only when something can be locked, and once the first screen shows its data: evaluating it
    // earlier delayed that paint.
    queryFn: async () => {
      const state = await api.catalog.locks.query();
      if (!state) return null;
      await afterFirstScreen();
      const { periodLocks } = await import("./locks");
      return { periodLocks, state };
    },
    structuralSharing: false,
  });
  return useMemo(() => (locks.data ? locks.data.periodLocks(locks.data.state, Date.now()) : NO_LOCKS), [locks.data]);
}

/**
 * Starts the reads of the first screen together at launch, instead of the session first and the
 * week after it. Reads refused because nobody is signed in are dropped (signing in refreshes them).
 * The week is the default one (from Monday); a workspace whose weeks start on another day reads its own.
 */
export function prefetchFirstScreen(client: QueryClient): void {
  const weekStart = startOfWeek(Date.now(), NO_LOCKS.weekStartsOn);
  const weekEnd = addDays(weekStart, 7);
  const reads: [QueryKey, () => Promise<unknown>][] = [
    [keys.session(), () => api.session.status.query()],
    [keys.entries(weekStart, weekEnd), () => api.entries.list.query({ from: weekStart, to: weekEnd })],
    [keys.running(), () => api.timer.running.query()],
    [keys.projects(), () => api.catalog.projects.query()],
    [keys.preferences(), () => api.preferences.get.query()],
  ];
  for (const [queryKey, queryFn] of reads) {
    void client.prefetchQuery({ queryKey, queryFn }).then(() => {
      if (client.getQueryState(queryKey)?.status === "error") client.removeQueries({ queryKey, exact: true });
    });
  }
  // The locale's date formats cost a first use; made while the reads are on their way, they are ready when the week arrives.
  setTimeout(warmDateFormats, 0);
}

