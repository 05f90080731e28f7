/**
 * The views that need the server (review, workspace admin, reports) reach it through the core's
 * local API with the session the core holds: the server decides who may do what, reads keep
 * their last answer for offline, writes are never queued.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpBridge, LOCAL_KEY_HEADER } from "../../apps/desktop/src/core/api/http-bridge.js";
import type { LocalRouter } from "../../apps/desktop/src/core/api/local-router.js";
import { isOnlinePath } from "../../apps/desktop/src/core/online/online-calls.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let manager: Person;
let employee: Person;
let offline = false;
/** The device's network: cut while `offline` is set. */
const network: typeof fetch = (input, init) => (offline ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init));
const opened: { device: Device; bridge: Awaited<ReturnType<typeof startHttpBridge>> }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  manager = await acme.hire("MANAGER", "mia");
  employee = await acme.hire("EMPLOYEE", "eve");
});
afterAll(async () => {
  for (const { device, bridge } of opened) {
    await bridge.app.close();
    device.close();
    removeDeviceFiles(device);
  }
  await server.close();
});

/** A signed-in desktop app as the renderer sees it: the local API over the core's HTTP bridge. */
async function appFor(person: Person) {
  const device = createDevice({ serverUrl: server.url, fetch: network });
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  const bridge = await startHttpBridge(device.core);
  opened.push({ device, bridge });
  const origin = new URL(bridge.url).origin;
  return createTRPCClient<LocalRouter>({
    links: [httpLink({ url: `${origin}/local-api`, transformer: superjson, headers: () => ({ [LOCAL_KEY_HEADER]: bridge.key }) })],
  });
}

async function refusal(call: Promise<unknown>) {
  try {
    await call;
    return null;
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    return { message: err.message, ...(err.data as { code: string; reason: string | null }) };
  }
}

describe("online views through the core", () => {
  it("lets a manager read the review queue, and passes the server's refusal to an employee", async () => {
    const mia = await appFor(manager);
    const eve = await appFor(employee);
    const queue = await mia.online.query.query({ path: "timesheets.pending", input: undefined });
    expect(queue.stale).toBe(false);
    expect(Array.isArray(queue.data)).toBe(true);

    const refused = await refusal(eve.online.query.query({ path: "timesheets.pending", input: undefined }));
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    // And a write an employee may not make is refused by the server, not by the window.
    const invite = await refusal(eve.online.mutate.mutate({ path: "members.invite", input: { email: "x@example.test", role: "ADMIN" } }));
    expect(invite).toMatchObject({ code: "FORBIDDEN" });
    expect((await acme.owner.api.members.invitations.query()).some((i) => i.email === "x@example.test")).toBe(false);
  });

  it("never passes calls outside the online routers (tokens, the outbox's own paths)", async () => {
    const mia = await appFor(manager);
    for (const path of ["auth.logIn", "auth.me", "sync.push", "entries.create", "attachments.remove", "timesheets", "timesheets.pending.x", "constructor.x"]) {
      expect(isOnlinePath(path)).toBe(false);
      expect(await refusal(mia.online.query.query({ path, input: undefined }))).toMatchObject({ code: "NOT_FOUND", reason: "NOT_FOUND" });
    }
    expect(isOnlinePath("members.list")).toBe(true);
  });

  it("shows the last answer marked as not current while offline, and refuses writes instead of queueing them", async () => {
    const mia = await appFor(manager);
    const before = await mia.online.query.query({ path: "members.list", input: undefined });
    offline = true;
    try {
      const cached = await mia.online.query.query({ path: "members.list", input: undefined });
      expect(cached.stale).toBe(true);
      expect(cached.data).toEqual(before.data);
      expect(cached.fetchedAt).toBe(before.fetchedAt);
      // Never loaded on this device: nothing to show, said plainly.
      expect(await refusal(mia.online.query.query({ path: "tags.list", input: {} }))).toMatchObject({ reason: "OFFLINE" });
      const write = await refusal(mia.online.mutate.mutate({ path: "tags.create", input: { name: "offline tag" } }));
      expect(write).toMatchObject({ reason: "OFFLINE" });
    } finally {
      offline = false;
    }
    // Back online: the refused write was not kept for later.
    await new Promise((r) => setTimeout(r, 50));
    const tags = await mia.online.query.query({ path: "tags.list", input: {} });
    expect(tags.stale).toBe(false);
    expect(JSON.stringify(tags.data)).not.toContain("offline tag");
  });

  it("carries the server's reason for a refused write", async () => {
    const owner = await appFor(acme.owner);
    const members = await owner.online.query.query({ path: "members.list", input: undefined });
    const own = (members.data as { id: string; email: string }[]).find((m) => m.email === acme.owner.email)!;
    const lastOwner = await refusal(owner.online.mutate.mutate({ path: "members.remove", input: { membershipId: own.id } }));
    expect(lastOwner?.code).toMatch(/CONFLICT|PRECONDITION_FAILED|BAD_REQUEST|FORBIDDEN/);
    expect(lastOwner?.message).toMatch(/owner/i);
  });
});
