import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { periodLocks, type PeriodLocks } from "./locks";
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
  const state = useQuery({ queryKey: keys.locks(), queryFn: () => api.catalog.locks.query() });
  return useMemo(() => periodLocks(state.data, Date.now()), [state.data]);
}
