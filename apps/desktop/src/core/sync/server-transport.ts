import { openAsBlob } from "node:fs";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { ATTACHMENT_HEADER, attachmentContentPath, encodeAttachmentHeader } from "../../../../../server/src/contract/attachments.js";
import type { AppRouter } from "../../../../../server/src/routers/index.js";
import { LocalError } from "../errors.js";
import { attachmentRefusal } from "./attachment-refusal.js";
import { OfflineError, type PullPage, type PushResult, type Refusal, type SyncTransport } from "./transport.js";

export type ServerClient = ReturnType<typeof createTRPCClient<AppRouter>>;

const WORKSPACE_HEADER = "x-hoursync-workspace";

/** A tRPC client for the Hoursync server; `workspaceId` names the tenant of each call. */
export function serverClient(
  serverUrl: string,
  auth: { token: () => string | null; workspaceId?: string },
  fetchImpl?: typeof fetch,
): ServerClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${serverUrl.replace(/\/$/, "")}/trpc`,
        transformer: superjson,
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
    ],
  });
}

function authHeaders(auth: { token: () => string | null; workspaceId?: string }): Record<string, string> {
  const token = auth.token();
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(auth.workspaceId ? { [WORKSPACE_HEADER]: auth.workspaceId } : {}),
  };
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
  if (err instanceof TRPCClientError && err.data === undefined && !("shape" in err && err.shape)) {
    return new OfflineError(err.message);
  }
  if (err instanceof TypeError) return new OfflineError(err.message);
  return err;
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

export function serverTransport(serverUrl: () => string, token: () => string | null, fetchImpl?: typeof fetch): SyncTransport {
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
  return {
    registerClient: (workspaceId, clientId, name) =>
      reachServer(() => forWorkspace(workspaceId).sync.registerClient.mutate({ clientId, name })),
    push: async (workspaceId, clientId, mutations) =>
      (await reachServer(() => forWorkspace(workspaceId).sync.push.mutate({ clientId, mutations }))).results as PushResult[],
    pull: (workspaceId, cursor, limit) =>
      reachServer(() => forWorkspace(workspaceId).sync.pull.query({ cursor, limit })) as Promise<PullPage>,

    uploadAttachment: async (workspaceId, { id, entryId, name, file }) => {
      const context = { attachmentHeader: encodeAttachmentHeader({ id, entryId, name }) };
      const body = await openAsBlob(file);
      return decided(async () => ({
        status: "applied" as const,
        attachment: await forWorkspace(workspaceId).attachments.upload.mutate(body, { context }),
      }));
    },

    deleteAttachment: async (workspaceId, attachmentId) => {
      const result = await decided(async () => {
        await forWorkspace(workspaceId).attachments.delete.mutate({ id: attachmentId });
        return { status: "applied" as const };
      });
      // Already gone is what a delete wants (a replay, or deleted elsewhere).
      return result.status === "rejected" && result.reason === "NOT_FOUND" ? { status: "applied" } : result;
    },

    downloadAttachment: async (workspaceId, attachmentId) => {
      const url = `${serverUrl().replace(/\/$/, "")}${attachmentContentPath(attachmentId)}`;
      let res: Response;
      try {
        res = await (fetchImpl ?? fetch)(url, { headers: authHeaders({ token, workspaceId }) });
      } catch (err) {
        throw new OfflineError(err instanceof Error ? err.message : String(err));
      }
      if (res.status === 404) throw new LocalError("NOT_FOUND", "The server no longer has this attachment");
      if (!res.ok || !res.body) throw new LocalError("SERVER", `The download failed (HTTP ${res.status})`);
      return Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
    },
  };
}
