import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, rawCall, rawErrorCode, uniqueEmail, type RawCall } from "../../support/api.js";
import { createCompany, TEST_PASSWORD, type Company } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let company: Company;
beforeAll(async () => {
  server = await startTestServer();
  company = await createCompany(server, "Errors");
});
afterAll(async () => {
  await server.close();
});

describe("validation", () => {
  it("answers bad input with BAD_REQUEST and fieldErrors naming each bad field", async () => {
    const api = company.owner.api;
    const cases: [() => Promise<unknown>, string[]][] = [
      [() => api.projects.create.mutate({ name: " ", color: "red", hourlyRateCents: -1 }), ["name", "color", "hourlyRateCents"]],
      [() => server.client().auth.signUp.mutate({ email: "not-an-email", password: "short", name: "X", workspaceName: "W" }), ["email", "password"]],
      [() => api.entries.create.mutate({ start: at("2026-01-05", 10), end: at("2026-01-05", 9) }), ["end"]],
      [() => api.entries.create.mutate({ start: "nonsense", projectId: "not-a-uuid" }), ["start", "projectId"]],
      [() => api.workspace.update.mutate({ rateLimitPerMinute: 9, currency: "euro", weekStartsOn: 7, timezone: "Mars/Olympus" }), [
        "rateLimitPerMinute",
        "currency",
        "weekStartsOn",
        "timezone",
      ]],
      [() => api.members.invite.mutate({ email: "nobody", role: "KING" as "ADMIN" }), ["email", "role"]],
    ];
    for (const [call, fields] of cases) {
      const err = await rejectionOf(call());
      expect(err.data?.code).toBe("BAD_REQUEST");
      expect(err.data?.httpStatus).toBe(400);
      expect(Object.keys(err.data?.fieldErrors ?? {}).sort()).toEqual([...fields].sort());
      for (const f of fields) expect((err.data?.fieldErrors as Record<string, string[]>)[f]!.length).toBeGreaterThan(0);
    }
    // Nothing was written by any of them.
    expect((await api.projects.list.query({ includeArchived: true })).items).toEqual([]);
    expect((await api.entries.list.query({})).items).toEqual([]);
    expect((await api.workspace.get.query()).rateLimitPerMinute).toBeGreaterThanOrEqual(10);
  });
});

describe("time zones", () => {
  it("takes IANA names and their aliases, and refuses bare offsets and unknown zones", async () => {
    const api = company.owner.api;
    for (const tz of ["Asia/Kathmandu", "Asia/Katmandu", "America/Argentina/Buenos_Aires", "Etc/GMT-14", "UTC"]) {
      expect((await api.workspace.update.mutate({ timezone: tz })).timezone).toBe(tz);
    }
    for (const tz of ["+05:00", "UTC+2", "Europe/Nowhere", "../etc/passwd", ""]) {
      const err = await rejectionOf(api.workspace.update.mutate({ timezone: tz }));
      expect(err.data?.fieldErrors, tz).toHaveProperty("timezone");
    }
    expect((await api.workspace.get.query()).timezone).toBe("UTC");
  });
});

describe("text and time limits", () => {
  it("refuses NUL characters anywhere in the input and instants outside 1970-2100, writing nothing", async () => {
    const api = company.owner.api;
    expect(await errorCodeOf(api.clients.create.mutate({ name: "a\u0000b" }))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10), description: "x\u0000" }))).toBe(
      "BAD_REQUEST",
    );
    const ancient = await rejectionOf(api.entries.create.mutate({ start: new Date("1500-01-01T00:00:00Z"), end: null }));
    expect(ancient.data?.code).toBe("BAD_REQUEST");
    expect(ancient.data?.fieldErrors).toHaveProperty("start");
    expect(await errorCodeOf(api.entries.create.mutate({ start: new Date("2200-01-01T00:00:00Z"), end: null }))).toBe("BAD_REQUEST");
    const clients = await api.clients.list.query({ search: "a" });
    expect(clients.items.filter((c) => c.name.includes("\u0000"))).toEqual([]);
    expect((await api.entries.list.query({})).items.filter((e) => e.description.includes("\u0000"))).toEqual([]);
  });
});

describe("workspace header", () => {
  it("NOT_FOUND for an unknown or malformed workspace, BAD_REQUEST when missing", async () => {
    const token = company.owner.token;
    expect(await errorCodeOf(server.client({ token, workspaceId: randomUUID() }).projects.list.query({}))).toBe("NOT_FOUND");
    expect(await errorCodeOf(server.client({ token, workspaceId: "acme" }).projects.list.query({}))).toBe("NOT_FOUND");
    expect(await errorCodeOf(server.client({ token }).projects.list.query({}))).toBe("BAD_REQUEST");
    expect(await errorCodeOf(server.client({ workspaceId: company.workspaceId }).projects.list.query({}))).toBe("UNAUTHORIZED");
    expect(await errorCodeOf(server.client({ token: "hs_forged", workspaceId: company.workspaceId }).projects.list.query({}))).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("health", () => {
  it("/healthz and health.check answer 200 with the database kind", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: server.services.db.kind });
    expect(await server.client().health.check.query()).toEqual({ ok: true, database: server.services.db.kind });
  });
});

describe("atomicity", () => {
  it("a failing entries.create with a missing tag leaves no entry", async () => {
    const { owner } = await createCompany(server, "Atomic");
    const tag = await owner.api.tags.create.mutate({ name: "real" });
    const call = owner.api.entries.create.mutate({
      start: at("2026-01-05", 9),
      end: at("2026-01-05", 10),
      tagIds: [tag.id, randomUUID()],
    });
    expect(await errorCodeOf(call)).toBe("NOT_FOUND");
    expect((await owner.api.entries.list.query({})).items).toEqual([]);
    // The same slot is free: nothing half-written holds it.
    const ok = await owner.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10), tagIds: [tag.id] });
    expect(ok.tagIds).toEqual([tag.id]);
  });

  it("a failing entries.update changes neither times nor tags", async () => {
    const { owner } = await createCompany(server, "Atomic");
    const [a, b] = [await owner.api.tags.create.mutate({ name: "a" }), await owner.api.tags.create.mutate({ name: "b" })];
    const first = await owner.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10), tagIds: [a.id] });
    await owner.api.entries.create.mutate({ start: at("2026-01-05", 11), end: at("2026-01-05", 12) });
    const err = await rejectionOf(owner.api.entries.update.mutate({ id: first.id, end: at("2026-01-05", 11, 30), tagIds: [b.id], description: "x" }));
    expect(err.data?.reason).toBe("OVERLAP");
    expect(await owner.api.entries.get.query({ id: first.id })).toMatchObject({ end: at("2026-01-05", 10), tagIds: [a.id], description: "" });
  });

  it("a refused sign-up through a bad invitation leaves no account behind", async () => {
    const email = uniqueEmail("half");
    const inv = await company.owner.api.members.invite.mutate({ email: uniqueEmail("someone-else"), role: "EMPLOYEE" });
    const signUp = (invitationToken?: string) =>
      server.client().auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Half", invitationToken, workspaceName: "Mine" });
    expect(await errorCodeOf(signUp(inv.token))).toBe("NOT_FOUND");
    expect(await errorCodeOf(signUp(`${randomUUID()}.hsi_nothing`))).toBe("NOT_FOUND");
    expect(await errorCodeOf(server.client().auth.logIn.mutate({ email, password: TEST_PASSWORD }))).toBe("UNAUTHORIZED");
    await signUp();
    expect((await server.client().auth.confirmSignUp.mutate({ code: server.mailbox.codeFor(email) })).user.email).toBe(email);
  });
});

describe("no internals in error responses", () => {
  /** Things that must never reach a client: stack frames, driver/ORM names, SQL, constraint names, file paths. */
  const LEAKS: [string, RegExp][] = [
    ["stack trace", /\bat\s+\S+\s+\(|\bat\s+(?:async\s+)?\S+:\d+:\d+|"stack"/],
    ["prisma", /prisma/i],
    ["SELECT", /\bSELECT\b/i],
    ["INSERT", /\bINSERT\b/i],
    ["constraint", /constraint/i],
    ["file path", /(?:\/[\w.@-]+){2,}|[A-Z]:\\|\.(?:ts|js|mjs):\d+|node_modules|file:\/\//],
    ["driver", /DriverAdapter|pglite|sqlstate|\b(?:23505|23503|23001|23P01|22021|22008)\b/i],
  ];

  it("no failing call's body carries a stack, SQL, driver text or a file path", async () => {
    const { owner, workspaceId } = await createCompany(server, "Leaks");
    const auth = { token: owner.token, workspaceId };
    const client = await owner.api.clients.create.mutate({ name: "Used" });
    const project = await owner.api.projects.create.mutate({ name: "Dup", clientId: client.id });
    await owner.api.entries.create.mutate({ projectId: project.id, start: at("2026-01-05", 9), end: at("2026-01-05", 10) });
    const mutation = (input: unknown, extra: RawCall = {}): RawCall => ({ ...auth, type: "mutation", input, ...extra });

    const calls: [string, string, RawCall][] = [
      ["unique violation", "projects.create", mutation({ name: "Dup" })],
      ["foreign key (client in use)", "clients.delete", mutation({ id: client.id })],
      ["foreign key (project in use)", "projects.delete", mutation({ id: project.id })],
      ["overlap (exclusion)", "entries.create", mutation({ start: at("2026-01-05", 9, 30), end: at("2026-01-05", 11) })],
      ["client-made id reused", "projects.create", mutation({ id: project.id, name: "Other" })],
      ["validation", "projects.create", mutation({ name: "", color: "nope" })],
      ["date beyond the database's range", "entries.list", { ...auth, input: { from: new Date(-8.64e15) } }],
      ["NUL byte", "clients.create", mutation({ name: "a\u0000b" })],
      ["malformed JSON", "clients.create", mutation(null, { rawBody: "{not json" })],
      ["malformed superjson", "clients.create", mutation(null, { rawBody: JSON.stringify({ json: { name: "x" }, meta: { values: { name: ["wat"] } } }) })],
      ["malformed query input", "clients.list", { ...auth, rawQuery: "input=%7Bnope" }],
      ["unknown procedure", "nope.nothing", auth],
      ["GET on a mutation", "clients.create", { ...auth, input: { name: "x" } }],
      ["wrong content type", "clients.create", mutation(null, { rawBody: "x", contentType: "text/plain" })],
      ["body too large", "clients.create", mutation(null, { rawBody: JSON.stringify({ json: { name: "x".repeat(6_000_000) } }) })],
      ["no session", "projects.list", { workspaceId, input: {} }],
      ["unknown workspace", "projects.list", { token: owner.token, workspaceId: randomUUID(), input: {} }],
      ["forbidden", "workspace.auditLog", { token: (await createCompany(server)).owner.token, workspaceId, input: {} }],
      ["wrong password", "auth.logIn", { type: "mutation", input: { email: owner.email, password: "wrong wrong" } }],
      ["sign-up naming no workspace", "auth.signUp", { type: "mutation", input: { email: owner.email, password: TEST_PASSWORD, name: "x" } }],
      ["confirmation code that is not valid", "auth.confirmSignUp", { type: "mutation", input: { code: "hsc_not-a-real-code" } }],
    ];
    for (const [label, path, call] of calls) {
      const res = await rawCall(server.url, path, call);
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      for (const [what, pattern] of LEAKS) {
        expect(pattern.test(res.text), `${label}: body shows ${what}: ${res.text.slice(0, 400)}`).toBe(false);
      }
    }
    // The expected, typed answers for the database failures.
    expect(rawErrorCode(await rawCall(server.url, "projects.create", mutation({ name: "Dup" })))).toBe("CONFLICT");
    expect(rawErrorCode(await rawCall(server.url, "clients.delete", mutation({ id: client.id })))).toBe("CONFLICT");
    expect(rawErrorCode(await rawCall(server.url, "auth.confirmSignUp", calls.at(-1)![2]))).toBe("NOT_FOUND");
  });
});
