import { openAsBlob } from "node:fs";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createTRPCClient, createTRPCUntypedClient, httpLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import { ATTACHMENT_HEADER, attachmentContentPath, encodeAttachmentHeader, type AppRouter } from "@hoursync/contract";
import { wireFormat } from "@hoursync/contract/wire-format";
import { LocalError } from "../errors.js";
import { attachmentRefusal } from "./attachment-refusal.js";
import { withDeadline } from "./deadline.js";
import { OfflineError, RequestRefusedError, type PullPage, type PushResult, type Refusal, type SyncTransport } from "./transport.js";

export type ServerClient = ReturnType<typeof createTRPCClient<AppRouter>>;

const WORKSPACE_HEADER = "x-hoursync-workspace";

/** A tRPC client for the Hoursync server; `workspaceId` names the tenant of each call. */
export function serverClient(
  serverUrl: string,
  auth: { token: () => string | null; workspaceId?: string },
  fetchImpl?: typeof fetch,
): ServerClient {
  return createTRPCClient<AppRouter>({ links: serverLinks(serverUrl, auth, fetchImpl) });
}

/** The same client for calls named by their path at run time (the online views' pass-through). */
export function untypedServerClient(serverUrl: string, auth: { token: () => string | null; workspaceId?: string }, fetchImpl?: typeof fetch) {
  return createTRPCUntypedClient<AppRouter>({ links: serverLinks(serverUrl, auth, fetchImpl) });
}

function serverLinks(serverUrl: string, auth: { token: () => string | null; workspaceId?: string }, fetchImpl?: typeof fetch): TRPCLink<AppRouter>[] {
  return [
    httpLink({
      url: `${serverUrl.replace(/\/$/, "")}/trpc`,
      transformer: wireFormat,
      fetch: fetchImpl,
      headers: ({ op }) => {
        // An upload's body is the file, so what the file is travels in a header.
        const attachment = op.context.attachmentHeader;
        return {
          ...authHeaders(auth),
          ...(typeof attachment === "string" ? { [ATTACHMENT_HEADER]: attachment } : {}),
        };
      },
    }),
  ];
}

function authHeaders(auth: { token: () => string | null; workspaceId?: string }): Record<string, string> {
  const token = auth.token();
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(auth.workspaceId ? { [WORKSPACE_HEADER]: auth.workspaceId } : {}),
  };
}

/** A fetch whose every request ends after `ms` without an answer (for calls outside the sync runs). */
export function fetchWithDeadline(ms: number, fetchImpl: typeof fetch = fetch): typeof fetch {
  return (input, init) =>
    withDeadline(
      ms,
      init?.signal,
      (signal) => fetchImpl(input, { ...init, signal }),
      (why) => (why === "deadline" ? new DOMException(`The server did not answer within ${seconds(ms)}`, "TimeoutError") : init?.signal?.reason),
    );
}

/** Network failures (no answer at all) become OfflineError; server answers stay TRPCClientErrors. */
export async function reachServer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw offlineOr(err);
  }
}

function offlineOr(err: unknown): unknown {
  if (err instanceof TRPCClientError && err.data === undefined && !("shape" in err && err.shape) && statusOf(err) === null) {
    return new OfflineError(err.message);
  }
  if (err instanceof TypeError) return new OfflineError(err.message);
  return err;
}

/** The HTTP status of a server's answer, also when it came from the HTTP layer in its own shape. */
function statusOf(err: TRPCClientError<never>): number | null {
  const data = err.data as { httpStatus?: number } | undefined;
  const response = (err.meta as { response?: { status?: number } } | undefined)?.response;
  return data?.httpStatus ?? response?.status ?? null;
}

/** A whole request answered with an error becomes a RequestRefusedError; no answer, an OfflineError. */
function refusedOr(err: unknown): unknown {
  if (err instanceof TRPCClientError) {
    const status = statusOf(err);
    if (status !== null) {
      const data = err.data as { reason?: string | null; retryAfterSeconds?: number | null } | undefined;
      return new RequestRefusedError(status, data?.reason ?? null, err.message, data?.retryAfterSeconds ?? null);
    }
  }
  return offlineOr(err);
}

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`);

/**
 * Runs one request with a deadline of its own, abandoned early when `outer`
 * aborts: an answer that never comes ends as an OfflineError, never as a
 * sync that waits forever.
 */
function timed<T>(ms: number, outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return withDeadline(ms, outer, call, (why) =>
    why === "abandoned" ? new OfflineError("The sync was interrupted (the connection changed)") : new OfflineError(`The server did not answer within ${seconds(ms)}`),
  );
}

/** An attachment call: typed refusals become results; the rest is thrown as reachServer would. */
async function decided<T>(call: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await call();
  } catch (err) {
    const refusal = attachmentRefusal(err);
    if (refusal) return { status: "rejected", ...refusal };
    throw offlineOr(err);
  }
}

export interface TransportTimeouts {
  /** How long one request may go unanswered (default 30 s). */
  requestMs?: number;
  /** Uploads get this much more time per byte of the file (default: as at 64 KiB/s). */
  uploadMsPerByte?: number;
}

export function serverTransport(
  serverUrl: () => string,
  token: () => string | null,
  fetchImpl?: typeof fetch,
  timeouts: TransportTimeouts = {},
): SyncTransport {
  const requestMs = timeouts.requestMs ?? 30_000;
  const uploadMsPerByte = timeouts.uploadMsPerByte ?? 1000 / (64 * 1024);
  const clients = new Map<string, ServerClient>();
  const forWorkspace = (workspaceId: string) => {
    const key = `${serverUrl()} ${workspaceId}`;
    let c = clients.get(key);
    if (!c) {
      c = serverClient(serverUrl(), { token, workspaceId }, fetchImpl);
      clients.set(key, c);
    }
    return c;
  };
  const request = async <T>(outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await timed(requestMs, outer, call);
    } catch (err) {
      throw refusedOr(err);
    }
  };
  return {
    registerClient: (workspaceId, clientId, name, signal) =>
      request(signal, (s) => forWorkspace(workspaceId).sync.registerClient.mutate({ clientId, name }, { signal: s })),
    push: async (workspaceId, clientId, mutations, signal) =>
      (await request(signal, (s) => forWorkspace(workspaceId).sync.push.mutate({ clientId, mutations }, { signal: s })))
        .results as PushResult[],
    pull: (workspaceId, pull, signal) =>
      request(signal, (s) => forWorkspace(workspaceId).sync.pull.query(pull, { signal: s })) as Promise<PullPage>,

    uploadAttachment: async (workspaceId, { id, entryId, name, file }, signal) => {
      const context = { attachmentHeader: encodeAttachmentHeader({ id, entryId, name }) };
      const body = await openAsBlob(file);
      return timed(requestMs + body.size * uploadMsPerByte, signal, (s) =>
        decided(async () => ({
          status: "applied" as const,
          attachment: await forWorkspace(workspaceId).attachments.upload.mutate(body, { context, signal: s }),
        })),
      );
    },

    deleteAttachment: async (workspaceId, attachmentId, signal) => {
      const result = await timed(requestMs, signal, (s) =>
        decided(async () => {
          await forWorkspace(workspaceId).attachments.delete.mutate({ id: attachmentId }, { signal: s });
          return { status: "applied" as const };
        }),
      );
      // Already gone is what a delete wants (a replay, or deleted elsewhere).
      return result.status === "rejected" && result.reason === "NOT_FOUND" ? { status: "applied" } : result;
    },

    downloadAttachment: async (workspaceId, attachmentId, signal) => {
      const url = `${serverUrl().replace(/\/$/, "")}${attachmentContentPath(attachmentId)}`;
      // The deadline covers the answer's headers; the body may take as long as the file needs.
      const headers = new AbortController();
      const timer = setTimeout(() => headers.abort(), requestMs);
      let res: Response;
      try {
        res = await (fetchImpl ?? fetch)(url, {
          headers: authHeaders({ token, workspaceId }),
          signal: signal ? AbortSignal.any([signal, headers.signal]) : headers.signal,
        });
      } catch (err) {
        throw new OfflineError(
          headers.signal.aborted ? `The server did not answer within ${seconds(requestMs)}` : err instanceof Error ? err.message : String(err),
        );
      } finally {
        clearTimeout(timer);
      }
      if (res.status === 404) throw new LocalError("NOT_FOUND", "The server no longer has this attachment");
      if (!res.ok || !res.body) throw new LocalError("SERVER", `The download failed (HTTP ${res.status})`);
      return Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
    },
  };
}
