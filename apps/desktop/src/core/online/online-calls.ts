import { TRPCClientError } from "@trpc/client";
import { LocalError, ServerRefusal, type RefusalStatus } from "../errors.js";
import type { OnlineAnswerStore } from "../store/online-answers.js";
import { reachServer } from "../sync/server-transport.js";
import { OfflineError } from "../sync/transport.js";

/**
 * The server's routers an online view may call through the core. Not `auth` (its answers carry
 * session tokens, which the window never sees), not `sync`, `entries` or `attachments` (the
 * person's own time goes through the device's store and outbox, offline first).
 */
export const ONLINE_ROUTERS = [
  "workspace",
  "members",
  "clients",
  "projects",
  "tasks",
  "tags",
  "timesheets",
  "reports",
  "notifications",
  // Importing a tracker's CSV export: the server decides per row, and the device pulls what lands.
  "csvImport",
] as const;

/** Paths like "timesheets.pending": a known router and one procedure name. */
export function isOnlinePath(path: string): boolean {
  const [router, procedure, ...rest] = path.split(".");
  return rest.length === 0 && !!procedure && /^[a-zA-Z]+$/.test(procedure) && (ONLINE_ROUTERS as readonly string[]).includes(router!);
}

export interface OnlineAnswer<T = unknown> {
  data: T;
  fetchedAt: number;
  /** True when the server could not be reached and this is the last answer it gave. */
  stale: boolean;
}

/** What the calls need from the signed-in core: the server, the session and the workspace. */
export interface OnlineServer {
  query(path: string, input: unknown): Promise<unknown>;
  mutation(path: string, input: unknown): Promise<unknown>;
}

const REFUSALS = new Set<string>(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "PRECONDITION_FAILED", "TOO_MANY_REQUESTS"]);

/** A server's answer with an error, as the window should hear it. */
function refusalOf(err: unknown): unknown {
  if (!(err instanceof TRPCClientError)) return err;
  const data = err.data as { code?: string; reason?: string | null; fieldErrors?: Record<string, string[]> | null } | undefined;
  if (data?.code && REFUSALS.has(data.code)) {
    return new ServerRefusal(data.code as RefusalStatus, data.reason ?? null, err.message, data.fieldErrors ?? {});
  }
  return new LocalError("SERVER", "The server could not answer. Try again in a moment.");
}

/**
 * The views that need the server (review, workspace admin, reports) reach it here, with the
 * session the core holds. Reads keep their last answer on the device, shown marked as not
 * current while offline; writes are sent now or refused now, never queued for later.
 */
export class OnlineCalls {
  constructor(
    private readonly answers: OnlineAnswerStore,
    private readonly server: (workspaceId: string) => OnlineServer,
    private readonly now: () => number = Date.now,
  ) {}

  async query(workspaceId: string, path: string, input: unknown): Promise<OnlineAnswer> {
    assertOnlinePath(path);
    const call = JSON.stringify([path, input ?? null]);
    try {
      const data = await reachServer(() => this.server(workspaceId).query(path, input));
      const fetchedAt = this.now();
      this.answers.put(workspaceId, call, data, fetchedAt);
      return { data, fetchedAt, stale: false };
    } catch (err) {
      if (!(err instanceof OfflineError)) throw refusalOf(err);
      const last = this.answers.get(workspaceId, call);
      if (last) return { data: last.answer, fetchedAt: last.fetchedAt, stale: true };
      throw new LocalError("OFFLINE", "The server cannot be reached, and this view has not been loaded on this device yet.");
    }
  }

  async mutate(workspaceId: string, path: string, input: unknown): Promise<unknown> {
    assertOnlinePath(path);
    try {
      return await reachServer(() => this.server(workspaceId).mutation(path, input));
    } catch (err) {
      if (err instanceof OfflineError) {
        throw new LocalError("OFFLINE", "Not saved: the server cannot be reached. Try again when you are online.");
      }
      throw refusalOf(err);
    }
  }
}

function assertOnlinePath(path: string): void {
  if (!isOnlinePath(path)) throw new LocalError("NOT_FOUND", `No online view calls ${JSON.stringify(path).slice(0, 80)}`);
}
