import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngBytes } from "../../../apps/desktop/src/core/testing/sample-files.js";
import { attachmentContentPath } from "../../../server/src/contract/attachments.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { upload } from "../../support/attachments.js";
import { createCompany, type Company } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { stalledGet } from "../../support/stalled-client.js";

/**
 * A client that starts an attachment download and stops reading must not
 * keep the response (and the open file) for ever: after the slow-client
 * timeout it is cut off, as exports are. One that pauses for less than the
 * timeout gets the whole file.
 */
const TIMEOUT_MS = 1_500;
/** Far more than a stalled client's socket buffers take. */
const FILE_BYTES = 24 * 1024 * 1024;

let server: TestServer;
let acme: Company;
let attachmentId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { SLOW_CLIENT_TIMEOUT_MS: String(TIMEOUT_MS), ATTACHMENT_MAX_BYTES: String(32 * 1024 * 1024) } });
  acme = await createCompany(server, "Acme");
  const entry = await acme.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
  const png = pngBytes("large");
  const file = Buffer.concat([png, Buffer.alloc(FILE_BYTES - png.length, 7)]);
  attachmentId = (await upload(acme.owner.api, { entryId: entry.id, name: "scan.png" }, file)).id;
}, 60_000);
afterAll(async () => {
  await server.close();
});

const headers = () => ({ authorization: `Bearer ${acme.owner.token}`, [WORKSPACE_HEADER]: acme.workspaceId });

describe("attachment downloads to clients that stop reading", () => {
  it("cut off a client that reads nothing for the slow-client timeout", async () => {
    const stalled = stalledGet(server.url, attachmentContentPath(attachmentId), headers());
    expect(await stalled.started).toBe("HTTP/1.1 200 OK");
    await new Promise((r) => setTimeout(r, TIMEOUT_MS + 1_000));
    expect(await stalled.resume()).toEqual({ complete: false });
  });

  it("finish for a client that pauses for less than the timeout", async () => {
    const paused = stalledGet(server.url, attachmentContentPath(attachmentId), headers());
    expect(await paused.started).toBe("HTTP/1.1 200 OK");
    await new Promise((r) => setTimeout(r, TIMEOUT_MS / 3));
    expect(await paused.resume()).toEqual({ complete: true });
  });
});
