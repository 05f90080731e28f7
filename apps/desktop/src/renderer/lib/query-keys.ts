import type { ChangeTopic } from "../../core/events/change-feed";

/**
 * Every query key starts with the change topic it belongs to, so a change event from the core
 * refreshes exactly the queries of that topic.
 */
export const keys = {
  session: () => ["session"] as const,
  running: () => ["entries", "running"] as const,
  entries: (from: number, to: number) => ["entries", "list", from, to] as const,
  suggestions: (text: string) => ["entries", "suggestions", text] as const,
  projects: () => ["catalog", "projects"] as const,
  clients: () => ["catalog", "clients"] as const,
  tags: () => ["catalog", "tags"] as const,
  /** The lock checker applied to the pulled lock state (lib/data.ts `useLocks`). */
  locks: () => ["catalog", "locks"] as const,
  /** The pulled lock state as the core answers it (rules and approved periods). */
  lockState: () => ["catalog", "lock-state"] as const,
  tasks: (projectId: string | null) => ["catalog", "tasks", projectId] as const,
  attachments: (entryId: string) => ["attachments", entryId] as const,
  sync: () => ["sync", "status"] as const,
  preferences: () => ["settings", "preferences"] as const,
  exportProgress: (id: string) => ["exports", id] as const,
  /** A read of the server by an online view (see lib/server.ts). */
  online: (path: string, input: unknown) => ["online", path, input] as const,
} satisfies Record<string, (...args: never[]) => readonly [ChangeTopic, ...unknown[]]>;
