import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge, LOCAL_KEY_HEADER } from "../../apps/desktop/src/core/api/http-bridge.js";
import type { LocalRouter } from "../../apps/desktop/src/core/api/local-router.js";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, type Company } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let device: Device;
let bridge: Awaited<ReturnType<typeof startHttpBridge>>;

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  device = createDevice({ serverUrl: server.url });
  bridge = await startHttpBridge(device.core);
});
afterAll(async () => {
  await bridge.app.close();
  device.close();
  removeDeviceFiles(device);
  await server.close();
});

function localClient(key: string | null) {
  const base = new URL(bridge.url).origin;
  return createTRPCClient<LocalRouter>({
    links: [
      httpLink({
        url: `${base}/local-api`,
        transformer: superjson,
        headers: () => (key ? { [LOCAL_KEY_HEADER]: key } : {}),
      }),
    ],
  });
}

async function reasonOf(call: Promise<unknown>) {
  try {
    await call;
    return null;
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    return (err.data as { reason?: string | null; code?: string } | undefined) ?? { code: "HTTP" };
  }
}

describe("local API over HTTP (the renderer's view of the core)", () => {
  it("refuses callers without the per-launch key", async () => {
    expect(await reasonOf(localClient(null).session.status.query())).toMatchObject({ code: "HTTP" });
    expect(await reasonOf(localClient("wrong").session.status.query())).toMatchObject({ code: "HTTP" });
  });

  it("signs in, tracks time, and reports typed local errors", async () => {
    const api = localClient(bridge.key);
    expect(await reasonOf(api.timer.running.query())).toMatchObject({ code: "UNAUTHORIZED", reason: "NOT_SIGNED_IN" });
    const status = await api.session.logIn.mutate({ serverUrl: server.url, email: acme.owner.email, password: "correct horse battery staple" });
    expect(status.user?.email).toBe(acme.owner.email);
    expect(status.currentWorkspaceId).toBe(acme.workspaceId);
    expect(status.tokenEncrypted).toBe(false);

    const started = await api.timer.start.mutate({ description: "via the bridge" });
    expect(await reasonOf(api.timer.start.mutate({}))).toMatchObject({ code: "CONFLICT", reason: "TIMER_RUNNING" });
    const stopped = await api.timer.stop.mutate();
    expect(stopped.id).toBe(started.id);
    const bad = await reasonOf(api.entries.create.mutate({ start: at("2026-05-04", 10).getTime(), end: at("2026-05-04", 9).getTime() }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", reason: "VALIDATION" });

    await api.sync.now.mutate();
    const synced = await acme.owner.api.entries.get.query({ id: started.id });
    expect(synced.description).toBe("via the bridge");
    expect((await api.sync.status.query()).pending).toBe(0);
  });

  it("serves nothing outside the renderer folder", async () => {
    const res = await fetch(`${new URL(bridge.url).origin}/../../etc/passwd`);
    expect(res.status).toBe(404);
  });
});
