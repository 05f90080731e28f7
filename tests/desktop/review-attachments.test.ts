/**
 * A reviewer opens a file on someone's timesheet: the core fetches it from the server's download
 * route with its own session (the window never holds the token), and the server decides who may.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalCaller } from "../../apps/desktop/src/core/api/local-router.js";
import { pngBytes } from "../../apps/desktop/src/core/testing/sample-files.js";
import { at } from "../support/api.js";
import { upload } from "../support/attachments.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let erin: Person;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  erin = await acme.hire("EMPLOYEE", "erin");
});
afterAll(async () => {
  for (const d of devices) {
    d.close();
    removeDeviceFiles(d);
  }
  await server.close();
});

async function localApiOf(person: Person) {
  const device = createDevice({ serverUrl: server.url });
  devices.push(device);
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  return createLocalCaller({ core: device.core });
}

describe("files on a reviewed timesheet", () => {
  it("lists each entry's files in the timesheet and opens them for a manager, byte for byte; a colleague gets NOT_FOUND", async () => {
    const entry = await erin.api.entries.create.mutate({ start: at("2026-04-06", 9), end: at("2026-04-06", 10) });
    const bytes = pngBytes("taxi receipt");
    const file = await upload(erin.api, { entryId: entry.id, name: "taxi.png" }, bytes);
    const sheet = await erin.api.timesheets.submit.mutate({ periodStart: "2026-04-06" });

    const mark = await localApiOf(await acme.hire("MANAGER", "mark"));
    const opened = (await mark.online.query({ path: "timesheets.get", input: { id: sheet.id } })).data as {
      entries: { id: string; attachments: { id: string; name: string; sizeBytes: number }[] }[];
    };
    expect(opened.entries[0]?.attachments).toEqual([expect.objectContaining({ id: file.id, name: "taxi.png", sizeBytes: bytes.length })]);
    const got = await mark.review.attachment({ id: file.id });
    expect(Buffer.from(got.base64, "base64").equals(Buffer.from(bytes))).toBe(true);

    const colleague = await localApiOf(await acme.hire("EMPLOYEE", "cole"));
    const refused = await colleague.review.attachment({ id: file.id }).then(
      () => null,
      (err: unknown) => (err instanceof TRPCError ? err.code : String(err)),
    );
    expect(refused).toBe("NOT_FOUND");
  });
});
