import type { AttachmentView } from "../../../../../server/src/contract/attachments.js";
import type { RejectReason } from "../../../../../server/src/contract/sync.js";

export type { AttachmentView, RejectReason };

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
  /** Attachments of the user's entries; absent from servers that predate attachments. */
  attachments?: AttachmentView[];
  deletions: { entity: "entry" | "project" | "task" | "tag" | "client" | "attachment"; id: string }[];
  cursor: number;
  hasMore: boolean;
}

export interface SyncTransport {
  registerClient(workspaceId: string, clientId: string, name: string): Promise<{ lastMutationId: number }>;
  push(workspaceId: string, clientId: string, mutations: PushMutation[]): Promise<PushResult[]>;
  pull(workspaceId: string, cursor: number, limit: number): Promise<PullPage>;
  /** Sends a file; a replay of the same id and content answers the stored attachment. */
  uploadAttachment(workspaceId: string, upload: AttachmentUpload): Promise<AttachmentUploadResult>;
  /** Deletes an attachment; one already gone counts as deleted. */
  deleteAttachment(workspaceId: string, attachmentId: string): Promise<AttachmentDeleteResult>;
  /** The file's bytes as they arrive. */
  downloadAttachment(workspaceId: string, attachmentId: string): Promise<AsyncIterable<Uint8Array>>;
}

export interface AttachmentUpload {
  id: string;
  entryId: string;
  name: string;
  /** Absolute path of the copy in the data folder: streamed, never read into memory. */
  file: string;
}

/** A refusal by the server: final, shown to the user. Transient failures throw instead. */
export interface Refusal {
  status: "rejected";
  reason: RejectReason;
  message: string;
}

export type AttachmentUploadResult = { status: "applied"; attachment: AttachmentView } | Refusal;
export type AttachmentDeleteResult = { status: "applied" } | Refusal;

/** A failure to reach the server (as opposed to the server refusing): retried with backoff. */
export class OfflineError extends Error {
  constructor(message = "The server cannot be reached") {
    super(message);
    this.name = "OfflineError";
  }
}
