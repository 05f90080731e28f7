import type { AttachmentView, LockState, RejectReason } from "@hoursync/contract";

export type { AttachmentView, LockState, RejectReason };

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
  /** What locks the person's time now; absent from servers that predate it. */
  locks?: LockState;
  cursor: number;
  hasMore: boolean;
}

/**
 * Every call may be given a signal that abandons it (the sync run was
 * cancelled); each also has a timeout of its own, so no answer that never
 * comes can hold a sync run.
 */
export interface SyncTransport {
  registerClient(workspaceId: string, clientId: string, name: string, signal?: AbortSignal): Promise<{ lastMutationId: number }>;
  push(workspaceId: string, clientId: string, mutations: PushMutation[], signal?: AbortSignal): Promise<PushResult[]>;
  /** `clientId`: this device, so the server leaves out entries it wrote itself (it holds them already). */
  pull(workspaceId: string, request: { cursor: number; limit: number; clientId?: string }, signal?: AbortSignal): Promise<PullPage>;
  /** Sends a file; a replay of the same id and content answers the stored attachment. */
  uploadAttachment(workspaceId: string, upload: AttachmentUpload, signal?: AbortSignal): Promise<AttachmentUploadResult>;
  /** Deletes an attachment; one already gone counts as deleted. */
  deleteAttachment(workspaceId: string, attachmentId: string, signal?: AbortSignal): Promise<AttachmentDeleteResult>;
  /** The file's bytes as they arrive. */
  downloadAttachment(workspaceId: string, attachmentId: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
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

/** A failure to reach the server, or no answer in time (as opposed to the server refusing): retried with backoff. */
export class OfflineError extends Error {
  constructor(message = "The server cannot be reached") {
    super(message);
    this.name = "OfflineError";
  }
}

/**
 * The server answered a whole request with an error instead of deciding
 * its mutations one by one: `status` is the HTTP status, `reason` the
 * server's machine-readable reason when it gave one (e.g. UNKNOWN_DEVICE).
 */
export class RequestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | null,
    message: string,
    /** Seconds the server asked to wait (rate limits, a busy server). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "RequestRefusedError";
  }

  /** The request itself can never succeed as sent (bad input, too large): sending it again changes nothing. */
  get isInputProblem(): boolean {
    return this.status === 400 || this.status === 413 || this.status === 422;
  }

  /** The server is overloaded (503: no database connection was free in time): the same request later will do. */
  get isServerBusy(): boolean {
    return this.status === 503;
  }
}
