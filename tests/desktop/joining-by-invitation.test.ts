/**
 * Joining a workspace from the desktop app with an invitation's token: signing in with it joins
 * on the way in; a refused invitation leaves the device signed out (nothing half-kept); a new
 * person signs up through the core and is signed in by the mailed code, in the inviting workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalError } from "../../apps/desktop/src/core/errors.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let globex: Company;
let eve: Person;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  globex = await createCompany(server, "Globex");
  eve = await acme.hire("EMPLOYEE", "eve");
});
afterAll(async () => {
  for (const d of devices) {
    d.close();
    removeDeviceFiles(d);
  }
  await server.close();
});

function device() {
  const d = createDevice({ serverUrl: server.url });
  devices.push(d);
  return d;
}

describe("joining by invitation from the app", () => {
  it("signing in with an invitation joins its workspace; a wrong or foreign one is refused and keeps nobody signed in", async () => {
    const { token } = await globex.owner.api.members.invite.mutate({ email: eve.email, role: "MANAGER" });
    const wrong = device();
    const forSomeoneElse = (await globex.owner.api.members.invite.mutate({ email: "someone@example.test", role: "EMPLOYEE" })).token;
    const refused = await wrong.core.logIn({ serverUrl: server.url, email: eve.email, password: TEST_PASSWORD, invitationToken: forSomeoneElse }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LocalError);
    expect((refused as LocalError).message).toBe("This invitation is not valid");
    expect(wrong.core.status().user).toBeNull();

    const d = device();
    const status = await d.core.logIn({ serverUrl: server.url, email: eve.email, password: TEST_PASSWORD, invitationToken: token });
    expect(status.workspaces.map((w) => [w.workspaceId, w.role]).sort()).toEqual(
      [
        [acme.workspaceId, "EMPLOYEE"],
        [globex.workspaceId, "MANAGER"],
      ].sort(),
    );
    // Used once: the same token does not work again.
    const again = await device().core.logIn({ serverUrl: server.url, email: eve.email, password: TEST_PASSWORD, invitationToken: token }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LocalError);
  });

  it("someone signed in already joins another workspace with a token and works in it", async () => {
    const mia = await acme.hire("MANAGER", "mia");
    const d = device();
    await d.core.logIn({ serverUrl: server.url, email: mia.email, password: TEST_PASSWORD });
    const bad = await d.core.acceptInvitation(`${globex.workspaceId}.hsi_notthesecretatall`).catch((e: unknown) => e);
    expect((bad as LocalError).message).toBe("This invitation is not valid");
    expect(d.core.status().currentWorkspaceId).toBe(acme.workspaceId);
    const { token } = await globex.owner.api.members.invite.mutate({ email: mia.email, role: "ADMIN" });
    const status = await d.core.acceptInvitation(token);
    expect(status.currentWorkspaceId).toBe(globex.workspaceId);
    expect(status.workspaces.find((w) => w.workspaceId === globex.workspaceId)?.role).toBe("ADMIN");
  });

  it("a new person signs up with the invitation and the mailed code, and lands in that workspace", async () => {
    const email = `nora-${Date.now()}@example.test`;
    const { token } = await acme.owner.api.members.invite.mutate({ email, role: "EMPLOYEE" });
    const d = device();
    await d.core.signUp({ serverUrl: server.url, email, password: TEST_PASSWORD, name: "Nora", invitationToken: token });
    expect(d.core.status().user).toBeNull();
    const status = await d.core.confirmSignUp({ serverUrl: server.url, code: server.mailbox.codeFor(email) });
    expect(status.user?.email).toBe(email);
    expect(status.currentWorkspaceId).toBe(acme.workspaceId);
    expect(status.workspaces.map((w) => w.role)).toEqual(["EMPLOYEE"]);
  });
});
