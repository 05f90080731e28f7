import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../../../../server/src/routers/index.js";
import { OfflineError, type PullPage, type PushResult, type SyncTransport } from "./transport.js";

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
        headers: () => {
          const token = auth.token();
          return {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(auth.workspaceId ? { [WORKSPACE_HEADER]: auth.workspaceId } : {}),
          };
        },
      }),
    ],
  });
}

/** Network failures (no answer at all) become OfflineError; server answers stay TRPCClientErrors. */
export async function reachServer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TRPCClientError && err.data === undefined && !("shape" in err && err.shape)) {
      throw new OfflineError(err.message);
    }
    if (err instanceof TypeError) throw new OfflineError(err.message);
    throw err;
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
  };
}
