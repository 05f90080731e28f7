import { randomUUID } from "node:crypto";
import http from "node:http";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../server/src/routers/index.js";
import { WORKSPACE_HEADER } from "../../server/src/trpc/context.js";
import type { Company } from "./people.js";
import type { ApiClient } from "./server.js";

/** A UTC instant on a given day: at("2026-01-05", 9, 30). */
export function at(day: string, hour: number, minute = 0): Date {
  return new Date(`${day}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00.000Z`);
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID()}@example.test`;
}

/** Walks every page of a paged list; returns all items and how many pages it took. */
export async function allPages<T>(
  fetchPage: (cursor: number) => Promise<{ items: T[]; nextCursor: number | null }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: number | null = 0;
  let pages = 0;
  while (cursor !== null) {
    const page: { items: T[]; nextCursor: number | null } = await fetchPage(cursor);
    items.push(...page.items);
    pages++;
    if (pages > 100) throw new Error("pagination does not end");
    cursor = page.nextCursor;
  }
  return { items, pages };
}

/** The membership id of `userId` in the company's workspace (as its owner sees it). */
export async function membershipIdOf(company: Company, userId: string): Promise<string> {
  const members = await company.owner.api.members.list.query();
  const found = members.find((m) => m.userId === userId);
  if (!found) throw new Error(`${userId} is not a member`);
  return found.id;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or null when it is not JSON. */
  json: unknown;
}

export interface RawCall {
  type?: "query" | "mutation";
  input?: unknown;
  token?: string;
  workspaceId?: string;
  /** A body sent as is (for malformed requests); overrides `input`. */
  rawBody?: string;
  /** A query string sent as is (for malformed requests); overrides `input`. */
  rawQuery?: string;
  method?: string;
  contentType?: string;
}

/** One tRPC call over plain fetch, to look at status, headers and the exact body. */
export async function rawCall(baseUrl: string, path: string, call: RawCall = {}): Promise<RawResponse> {
  const type = call.type ?? "query";
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.workspaceId) headers[WORKSPACE_HEADER] = call.workspaceId;
  let url = `${baseUrl}/trpc/${path}`;
  let body: string | undefined;
  if (type === "query") {
    if (call.rawQuery !== undefined) url += `?${call.rawQuery}`;
    else if (call.input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(call.input)))}`;
  } else {
    body = call.rawBody ?? JSON.stringify(superjson.serialize(call.input ?? null));
    headers["content-type"] = call.contentType ?? "application/json";
  }
  const res = await fetch(url, { method: call.method ?? (type === "query" ? "GET" : "POST"), headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The tRPC error code in a raw error response body. */
export function rawErrorCode(res: RawResponse): string | undefined {
  return (res.json as { error?: { json?: { data?: { code?: string } } } } | null)?.error?.json?.data?.code;
}

/**
 * fetch over node:http from a chosen local address. The whole of 127.0.0.0/8
 * is loopback, so a test can call the server "from" 127.0.0.2, 127.0.0.3, ...
 * and the server sees that as the client IP.
 */
export function fetchFrom(localAddress: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = http.request(url, { method: init?.method ?? "GET", headers, localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") out.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: out }));
        });
      });
      req.on("error", reject);
      if (typeof init?.body === "string") req.write(init.body);
      req.end();
    });
}

/** A tRPC client like TestServer.client, but calling from `ip` (a 127.x.y.z address). */
export function clientFrom(baseUrl: string, ip: string, auth: { token?: string; workspaceId?: string } = {}): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        transformer: superjson,
        fetch: fetchFrom(ip),
        headers: () => ({
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(auth.workspaceId ? { [WORKSPACE_HEADER]: auth.workspaceId } : {}),
        }),
      }),
    ],
  });
}

let nextIp = 0;
/** A loopback address not used before by this test file (each file has its own servers). */
export function freshLoopbackIp(): string {
  nextIp++;
  return `127.0.${Math.floor(nextIp / 250) + 1}.${(nextIp % 250) + 1}`;
}
