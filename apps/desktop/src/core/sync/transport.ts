/**
 * What the sync engine needs from the server, as plain data. The tRPC
 * implementation lives in server-transport.ts; tests may use the same one
 * against a real server.
 */
export interface PushMutation {
  mutationId: number;
  name: string;
  args: unknown;
}

export type RejectReason = "VALIDATION" | "LOCKED_PERIOD" | "FORBIDDEN" | "CONFLICT" | "NOT_FOUND";

export type PushResult =
  | { mutationId: number; status: "applied" }
  | { mutationId: number; status: "rejected"; reason: RejectReason; message: string };

export interface PulledEntry {
  id: string;
  userId: string;
  projectId: string | null;
  taskId: string | null;
  description: string;
  start: Date;
  end: Date | null;
  billable: boolean;
  tagIds: string[];
  updatedAt: Date;
}

export interface PullPage {
  entries: PulledEntry[];
  projects: { id: string; clientId: string | null; name: string; color: string; billable: boolean; archived: boolean }[];
  tasks: { id: string; projectId: string; name: string; done: boolean }[];
  tags: { id: string; name: string }[];
  clients: { id: string; name: string; archived: boolean }[];
  deletions: { entity: "entry" | "project" | "task" | "tag" | "client"; id: string }[];
  cursor: number;
  hasMore: boolean;
}

export interface SyncTransport {
  registerClient(workspaceId: string, clientId: string, name: string): Promise<{ lastMutationId: number }>;
  push(workspaceId: string, clientId: string, mutations: PushMutation[]): Promise<PushResult[]>;
  pull(workspaceId: string, cursor: number, limit: number): Promise<PullPage>;
}

/** A failure to reach the server (as opposed to the server refusing): retried with backoff. */
export class OfflineError extends Error {
  constructor(message = "The server cannot be reached") {
    super(message);
    this.name = "OfflineError";
  }
}
