import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../../../server/src/http/server.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { createCompany, type Company } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const ALLOWED = "https://reports.example.com";

let server: TestServer;
let acme: Company;
beforeAll(async () => {
  server = await startTestServer({ env: { CORS_ORIGINS: ALLOWED } });
  acme = await createCompany(server, "Acme");
});
afterAll(async () => {
  await server.close();
});

const auth = () => ({ authorization: `Bearer ${acme.owner.token}`, [WORKSPACE_HEADER]: acme.workspaceId });

describe("HTTP answers", () => {
  it("carry security headers everywhere, streamed exports included", async () => {
    const answers = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/trpc/health.check`),
      await fetch(`${server.url}/nothing-here`),
      await fetch(`${server.url}/export/entries.csv?from=2026-01-01&to=2026-02-01`, { headers: auth() }),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), res.url).toContain("default-src");
      expect(res.headers.get("strict-transport-security"), res.url).toContain("max-age");
      expect(res.headers.get("x-frame-options"), res.url).toBe("SAMEORIGIN");
      expect(res.headers.get("x-powered-by"), res.url).toBeNull();
    }
    expect(answers[4]!.status).toBe(200);
  });

  it("let only configured browser origins call the API (none by default)", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/trpc/entries.list`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
      });
    expect((await preflight(ALLOWED)).headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect((await preflight("https://evil.example.net")).headers.get("access-control-allow-origin")).toBeNull();

    const closed = await startTestServer();
    try {
      const res = await fetch(`${closed.url}/trpc/health.check`, { headers: { origin: ALLOWED } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await closed.close();
    }
  });

  it("refuse a body over the limit with a plain 413, changing nothing", async () => {
    const before = (await acme.owner.api.entries.list.query({})).items.length;
    const huge = JSON.stringify({ start: at("2026-03-02", 9), end: at("2026-03-02", 10), description: "x".repeat(6 * 1024 * 1024) });
    const res = await fetch(`${server.url}/trpc/entries.create`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: huge });
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect((await acme.owner.api.entries.list.query({})).items.length).toBe(before);
  });
});

describe("readiness", () => {
  it("is ready while the database answers, and not while draining for shutdown", async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true });

    const readiness = { draining: false };
    const app = await buildHttpServer(server.services, readiness);
    try {
      expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
      readiness.draining = true;
      const draining = await app.inject({ url: "/readyz" });
      expect(draining.statusCode).toBe(503);
      expect(draining.json()).toMatchObject({ ready: false, reason: "shutting down" });
      // Liveness does not change: the process is still alive.
      expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("says the database is not reachable once it is gone, while /healthz still answers", async () => {
    const doomed = await startTestServer();
    const app = await buildHttpServer(doomed.services);
    try {
      await doomed.services.db.close();
      const res = await app.inject({ url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ ready: false });
      expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      await doomed.close().catch(() => undefined);
    }
  });
});
