import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTACHMENT_HEADER, encodeAttachmentHeader } from "../../../server/src/contract/attachments.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at, membershipIdOf } from "../../support/api.js";
import { exeFile, pngFile } from "../../support/files.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { httpRequest, rawConnection } from "../../support/raw-http.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { UNLIMITED, UNLIMITED_ENV } from "../../support/staffed-company.js";

const MAX_BYTES = 64 * 1024;

let server: TestServer;
let acme: Company;
let ann: Person;
let day = 0;

beforeAll(async () => {
  server = await startTestServer({ env: { ...UNLIMITED_ENV, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate(UNLIMITED);
  ann = await acme.hire("EMPLOYEE", "ann");
});
afterAll(async () => {
  await server.close();
});

async function annsEntry() {
  day++;
  return ann.api.entries.create.mutate({ start: at("2026-04-01", 0 + day), end: at("2026-04-01", 0 + day, 30) });
}

/** Every file under the workspace's storage folder, the incoming folder included. */
async function storedFiles(): Promise<string[]> {
  const dir = path.join(server.services.attachments.root!, acme.workspaceId);
  if (!existsSync(dir)) return [];
  const incoming = path.join(dir, ".incoming");
  const partial = existsSync(incoming) ? (await readdir(incoming)).map((n) => `.incoming/${n}`) : [];
  return [...(await readdir(dir)).filter((n) => n !== ".incoming"), ...partial];
}

/**
 * An upload whose body the test sends in two parts: `sendRest()` sends the
 * rest and ends it; `answer` is the server's final answer (status and tRPC code).
 */
function chunkedUpload(who: Person, entryId: string, file: Buffer) {
  let release!: () => void;
  const rest = new Promise<void>((r) => (release = r));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(file.subarray(0, 1024)));
      await rest;
      controller.enqueue(new Uint8Array(file.subarray(1024)));
      controller.close();
    },
  });
  const answer = fetch(`${server.url}/trpc/attachments.upload`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${who.token}`,
      [WORKSPACE_HEADER]: acme.workspaceId,
      [ATTACHMENT_HEADER]: encodeAttachmentHeader({ id: randomUUID(), entryId, name: "receipt.png" }),
      "content-type": "application/octet-stream",
    },
    body,
    duplex: "half",
  } as RequestInit).then(async (res) => ({
    status: res.status,
    code: ((await res.json()) as { error?: { json?: { data?: { code?: string } } } }).error?.json?.data?.code ?? null,
  }));
  return { answer, sendRest: () => release() };
}

/** Resolves once the server has checked the upload and is writing its first bytes to storage. */
async function streaming() {
  for (let i = 0; i < 400; i++) {
    if ((await storedFiles()).some((f) => f.startsWith(".incoming/"))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the upload never started streaming");
}

describe("access that ends while a file streams", () => {
  const cases: [string, (admin: Person) => Promise<unknown>, number][] = [
    ["removed from the workspace", async (admin) => acme.owner.api.members.remove.mutate({ membershipId: await membershipIdOf(acme, admin.userId) }), 404],
    ["demoted to employee", async (admin) => acme.owner.api.members.changeRole.mutate({ membershipId: await membershipIdOf(acme, admin.userId), role: "EMPLOYEE" }), 404],
    ["signed out everywhere", (admin) => server.client({ token: admin.token }).auth.logOutEverywhere.mutate(), 401],
  ];
  for (const [what, revoke, status] of cases) {
    it(`stops an admin's upload onto someone else's entry when they are ${what} before it ends`, async () => {
      const admin = await acme.hire("ADMIN", "admin");
      const entry = await annsEntry();
      const upload = chunkedUpload(admin, entry.id, pngFile(40_000));
      await streaming();
      await revoke(admin);
      upload.sendRest();
      expect((await upload.answer).status).toBe(status);
      // Nothing recorded, nothing left on disk, nothing in the log.
      expect(await acme.owner.api.attachments.list.query({ entryId: entry.id })).toEqual([]);
      expect(await storedFiles()).toEqual([]);
      const log = await acme.owner.api.workspace.auditLog.query({ action: "attachment.added" });
      expect(log.items).toEqual([]);
    });
  }

  it("records the same upload when nothing changed meanwhile (the control)", async () => {
    const admin = await acme.hire("ADMIN", "admin");
    const entry = await annsEntry();
    const upload = chunkedUpload(admin, entry.id, pngFile(40_000));
    await streaming();
    upload.sendRest();
    expect((await upload.answer).status).toBe(200);
    expect(await acme.owner.api.attachments.list.query({ entryId: entry.id })).toHaveLength(1);
  });
});

describe("a refused upload on a kept-alive connection", () => {
  const uploadTo = (who: Person, entryId: string, file: Buffer) =>
    httpRequest(
      "POST",
      "/trpc/attachments.upload",
      {
        authorization: `Bearer ${who.token}`,
        [WORKSPACE_HEADER]: acme.workspaceId,
        [ATTACHMENT_HEADER]: encodeAttachmentHeader({ id: randomUUID(), entryId, name: "x.png" }),
        "content-type": "application/octet-stream",
      },
      file,
    );
  const health = httpRequest("GET", "/healthz", {});

  const unread: [string, () => Promise<Buffer>, number][] = [
    ["an unknown entry", async () => uploadTo(ann, randomUUID(), pngFile(1_000_000)), 404],
    ["a file over the size limit", async () => uploadTo(ann, (await annsEntry()).id, pngFile(1_000_000)), 413],
  ];
  for (const [what, request, status] of unread) {
    it(`closes the connection after refusing ${what} before reading the whole body`, async () => {
      const connection = rawConnection(server.url);
      try {
        connection.write(await request());
        const refusal = await connection.nextResponse(5_000);
        expect(refusal).toMatchObject({ status, headers: { connection: "close" } });
        // The next request on that connection is not left hanging behind the unread body.
        connection.write(health);
        expect(await connection.nextResponse(3_000)).toBe("closed");
      } finally {
        connection.close();
      }
      // And a new connection works.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  }

  it("keeps the connection when the refused body was read to its end (a type refused from its content)", async () => {
    const connection = rawConnection(server.url);
    try {
      connection.write(uploadTo(ann, (await annsEntry()).id, exeFile()));
      expect(await connection.nextResponse(5_000)).toMatchObject({ status: 415 });
      connection.write(health);
      expect(await connection.nextResponse(3_000)).toMatchObject({ status: 200 });
    } finally {
      connection.close();
    }
  });
});
