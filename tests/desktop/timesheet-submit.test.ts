/**
 * Submitting a period from the desktop: the period's unsynced changes go to the server first,
 * or the submission is refused with the reason (offline, changes the server refused), so a
 * manager never reviews a week the device still holds back. A role changed on the server
 * shows on the device after its next sync.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLocalCaller } from "../../apps/desktop/src/core/api/local-router.js";
import { at, membershipIdOf } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let manager: Person;
let offline = false;
const network: typeof fetch = (input, init) => (offline ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init));
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  manager = await acme.hire("MANAGER", "mia");
});
afterAll(async () => {
  for (const device of devices) {
    device.close();
    removeDeviceFiles(device);
  }
  await server.close();
});

/** A signed-in, synced device of a new employee, and its local API. */
async function employeeDevice() {
  const person = await acme.hire("EMPLOYEE", "eve");
  const device = createDevice({ serverUrl: server.url, fetch: network });
  devices.push(device);
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  await device.core.syncNow();
  return { person, device, local: createLocalCaller({ core: device.core }) };
}

async function reasonOf(call: Promise<unknown>) {
  try {
    await call;
    return null;
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const cause = err.cause as { code?: string } | undefined;
    return { reason: cause?.code ?? null, message: err.message };
  }
}

describe("timesheet.submit on the device", () => {
  it("refuses while offline with the period's changes unsynced, then syncs them before submitting", async () => {
    const { person, local } = await employeeDevice();
    offline = true;
    try {
      await local.entries.create({ start: at("2026-03-02", 9).getTime(), end: at("2026-03-02", 12).getTime() });
      const refused = await reasonOf(local.timesheet.submit({ periodStart: "2026-03-02" }));
      expect(refused?.reason).toBe("OFFLINE");
      expect(refused?.message).toMatch(/not synced yet/);
    } finally {
      offline = false;
    }
    expect(await person.api.timesheets.mine.query()).toEqual([]);

    const sheet = (await local.timesheet.submit({ periodStart: "2026-03-02" })) as { id: string; status: string };
    expect(sheet.status).toBe("SUBMITTED");
    // The entry made offline reached the server before the submission: the manager sees its hours.
    const [queued] = await manager.api.timesheets.pending.query({ userId: person.userId });
    expect(queued).toMatchObject({ id: sheet.id, totalSeconds: 3 * 3600 });
  });

  it("says which changes the server refused instead of submitting without them", async () => {
    const { person, local } = await employeeDevice();
    offline = true;
    await local.entries.create({ start: at("2026-03-10", 9).getTime(), end: at("2026-03-10", 10).getTime() });
    // Meanwhile, from another device, the week is submitted and approved: it locks.
    await person.api.entries.create.mutate({ start: at("2026-03-09", 9), end: at("2026-03-09", 10) });
    const other = await person.api.timesheets.submit.mutate({ periodStart: "2026-03-09" });
    await manager.api.timesheets.approve.mutate({ id: other.id });
    offline = false;

    const refused = await reasonOf(local.timesheet.submit({ periodStart: "2026-03-09" }));
    expect(refused?.reason).toBe("UNSYNCED_CHANGES");
    expect(refused?.message).toMatch(/refused 1 change/);
  });

  it("submits a period with nothing unsynced straight away, and refuses a day no period starts on", async () => {
    const { local } = await employeeDevice();
    expect(((await local.timesheet.submit({ periodStart: "2026-03-16" })) as { status: string }).status).toBe("SUBMITTED");
    expect((await reasonOf(local.timesheet.submit({ periodStart: "2026-03-17" })))?.reason).toBe("VALIDATION");
  });
});

describe("roles on the device", () => {
  it("shows a role changed on the server after the next sync", async () => {
    const { person, device, local } = await employeeDevice();
    const role = async () => (await local.session.status()).workspaces.find((w) => w.workspaceId === acme.workspaceId)?.role;
    expect(await role()).toBe("EMPLOYEE");
    await acme.owner.api.members.changeRole.mutate({ membershipId: await membershipIdOf(acme, person.userId), role: "MANAGER" });
    expect(await role()).toBe("EMPLOYEE");
    await device.core.syncNow();
    await vi.waitFor(async () => expect(await role()).toBe("MANAGER"));
  });
});
