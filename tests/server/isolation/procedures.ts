import type { inferRouterInputs, ProcedureType } from "@trpc/server";
import { appRouter, type AppRouter, type TENANTLESS_PROCEDURES } from "../../../server/src/routers/index.js";
import { streamingTenantProcedure, tenantProcedure } from "../../../server/src/trpc/procedures.js";
import { encodeAttachmentHeader, type AttachmentUploadMeta } from "../../../server/src/contract/attachments.js";
import type { ApiClient } from "../../support/server.js";

/** The router as it is, read at test time: nothing here is a hand-kept list. */

type Inputs = inferRouterInputs<AppRouter>;

/** "entries.get" and every other procedure path of the router, as a type. */
export type ProcedurePath = {
  [R in keyof Inputs & string]: `${R}.${keyof Inputs[R] & string}`;
}[keyof Inputs & string];

export type TenantlessProcedure = (typeof TENANTLESS_PROCEDURES)[number];
export type TenantProcedure = Exclude<ProcedurePath, TenantlessProcedure>;

export type InputOf<P extends ProcedurePath> = P extends `${infer R extends keyof Inputs & string}.${infer N}`
  ? N extends keyof Inputs[R]
    ? Inputs[R][N]
    : never
  : never;

interface BuiltProcedure {
  _def: { type: ProcedureType; middlewares: unknown[] };
}

function builtProcedures(): Record<string, BuiltProcedure> {
  // At run time `_def.procedures` is flat: { "entries.get": procedure, ... }.
  return appRouter._def.procedures as unknown as Record<string, BuiltProcedure>;
}

/** Every procedure path of the router, sorted. */
export function allProcedures(): string[] {
  return Object.keys(builtProcedures()).sort();
}

/** The middlewares that resolve the tenant from the caller's membership (the last one each tenant procedure kind adds). */
const tenantMiddlewares = [tenantProcedure, streamingTenantProcedure].map((p) =>
  (p._def as unknown as { middlewares: unknown[] }).middlewares.at(-1),
);

/** True when the procedure runs inside tenantProcedure's middleware (directly or through a role check). */
export function runsInTenant(path: string): boolean {
  const proc = builtProcedures()[path];
  if (!proc) throw new Error(`No procedure ${path}`);
  return tenantMiddlewares.some((m) => proc._def.middlewares.includes(m));
}

type Endpoint = Partial<Record<"query" | "mutate", (input: unknown, opts?: { context: Record<string, unknown> }) => Promise<unknown>>>;

/** An upload's input: the file is the body, what it is goes in a header (through the link's context). */
export class UploadInput {
  constructor(
    readonly meta: AttachmentUploadMeta,
    readonly bytes: Uint8Array,
  ) {}
}

/** Calls a procedure by its path over the client's real HTTP link. */
export function invoke(api: ApiClient, path: string, input: unknown): Promise<unknown> {
  const proc = builtProcedures()[path];
  if (!proc) throw new Error(`No procedure ${path}`);
  const [routerName, name] = path.split(".") as [string, string];
  const endpoint = (api as unknown as Record<string, Record<string, Endpoint>>)[routerName]![name]!;
  if (input instanceof UploadInput) {
    return endpoint.mutate!(new Blob([Buffer.from(input.bytes)]), { context: { attachment: encodeAttachmentHeader(input.meta) } });
  }
  const call = proc._def.type === "query" ? endpoint.query : endpoint.mutate;
  return call!(input);
}
