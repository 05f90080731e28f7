import { AsyncLocalStorage } from "node:async_hooks";

/** Who and what a log line belongs to: set when a request arrives, completed once the caller is known. */
export interface RequestContext {
  requestId: string;
  workspaceId?: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs the rest of a request (its hooks, handler and everything they await) in its own context. */
export function runInRequest(context: RequestContext, fn: () => void): void {
  storage.run(context, fn);
}

/** Adds what became known during the request (the signed-in user, the admitted workspace). */
export function annotateRequest(fields: Omit<Partial<RequestContext>, "requestId">): void {
  const context = storage.getStore();
  if (context) Object.assign(context, fields);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
