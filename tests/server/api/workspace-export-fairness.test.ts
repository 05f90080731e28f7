/**
 * The whole-workspace export under the export machinery's rules: a client
 * that stops reading is cut off after the slow-client timeout and gives its
 * place back; the workspace's export cap holds meanwhile; an owner demoted
 * mid-export is stopped at its next page or file. The archive holds
 * incompressible files, so it is larger than the socket buffers.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngChunk } from "../../../apps/desktop/src/core/testing/sample-files.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { upload } from "../../support/attachments.js";
import { pngFile } from "../../support/files.js";
import type { Person } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { stalledGet } from "../../support/stalled-client.js";
import { staffCompany, UNLIMITED_ENV, type StaffedCompany } from "../../support/staffed-company.js";
import { readZip } from "../../support/zip.js";

let server: TestServer;
let acme: StaffedCompany;
let coOwner: Person;
const PATH = "/export/workspace.zip";
const auth = (p: Person) => ({ authorization: `Bearer ${p.token}`, [WORKSPACE_HEADER]: acme.workspaceId });

/** A valid PNG carrying `bytes` random bytes in a private chunk: a zip cannot shrink it. */
function noisyPng(bytes: number): Buffer {
  const small = pngFile(100);
  return Buffer.concat([small.subarray(0, 33), pngChunk("raNd", randomBytes(bytes)), small.subarray(33)]);
}

beforeAll(async () => {
  server = await startTestServer({ env: { ...UNLIMITED_ENV, SLOW_CLIENT_TIMEOUT_MS: "1000", EXPORT_MAX_PER_WORKSPACE: "1" } });
  acme = await staffCompany(server, "Acme");
  coOwner = await acme.make.member("OWNER");
  const employee = acme.people.EMPLOYEE.api;
  for (let i = 0; i < 6; i++) {
    const start = new Date(Date.UTC(2026, 2, 2 + i, 9));
    const entry = await employee.entries.create.mutate({ start, end: new Date(start.getTime() + 3_600_000) });
    await upload(employee, { entryId: entry.id }, noisyPng(2 * 1024 * 1024));
  }
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe("whole-workspace export fairness", () => {
  it("cuts off a client that stops reading, holds the workspace's cap meanwhile, and gives the place back", { timeout: 60_000 }, async () => {
    const owner = acme.people.OWNER;
    const stalled = stalledGet(server.url, PATH, auth(owner));
    try {
      expect(await stalled.started).toBe("HTTP/1.1 200 OK");
      const second = await fetch(`${server.url}${PATH}`, { headers: auth(owner) });
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await stalled.resume()).toEqual({ complete: false });
    } finally {
      stalled.destroy();
    }
    const again = await fetch(`${server.url}${PATH}`, { headers: auth(owner) });
    expect(again.status).toBe(200);
    const zip = await readZip(Buffer.from(await again.arrayBuffer()));
    expect([...zip.keys()].filter((k) => k.startsWith("files/"))).toHaveLength(6);
  });

  it("stops at its next page or file once the exporter is no longer an owner", { timeout: 60_000 }, async () => {
    const slow = stalledGet(server.url, PATH, auth(coOwner));
    try {
      expect(await slow.started).toBe("HTTP/1.1 200 OK");
      slow.trickle();
      const seat = (await acme.owner.api.members.list.query()).find((m) => m.userId === coOwner.userId)!;
      await acme.owner.api.members.changeRole.mutate({ membershipId: seat.id, role: "ADMIN" });
      expect(await slow.resume()).toEqual({ complete: false });
    } finally {
      slow.destroy();
    }
  });
});
