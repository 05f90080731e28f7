/**
 * Attachments with the server configured for an S3 bucket (S3_BUCKET and
 * friends) on a real S3-compatible server (s3rver, started here): the upload
 * lands as `<tenant>/<key>` in the bucket and nothing on a local folder,
 * downloads stream it back intact, a file over the limit is refused with
 * nothing left in the bucket, a type refusal removes its object, and deleting
 * the attachment removes the object.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download, upload } from "../../support/attachments.js";
import { exeFile, pngFile } from "../../support/files.js";
import { createCompany, type Company } from "../../support/people.js";
import { startTestS3, type TestS3 } from "../../support/s3-server.js";
import { rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

const MAX_BYTES = 6 * 1024 * 1024;

let s3: TestS3;
let server: TestServer;
let acme: Company;
let day = 0;

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function entry() {
  day++;
  const start = new Date(Date.UTC(2026, 2, 2 + day, 9));
  return acme.owner.api.entries.create.mutate({ start, end: new Date(start.getTime() + 3_600_000) });
}

beforeAll(async () => {
  s3 = await startTestS3();
  server = await startTestServer({ env: { ...s3.env, ATTACHMENT_MAX_BYTES: String(MAX_BYTES), USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
});

describe("attachments in an S3 bucket", () => {
  it("stores an upload as an object under the tenant's prefix and streams it back intact", async () => {
    expect(server.services.attachments.root).toBeNull();
    const png = pngFile(5 * 1024 * 1024 + 10_000); // more than one multipart part
    const a = await upload(acme.owner.api, { entryId: (await entry()).id, name: "receipt.png" }, png);
    expect(a).toMatchObject({ sizeBytes: png.length, contentType: "image/png", sha256: sha(png) });
    const keys = await s3.keys();
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^${acme.workspaceId}/[0-9a-f]{32}$`))]);

    const got = await download(server.url, acme.owner, acme.workspaceId, a.id);
    expect(got.status).toBe(200);
    expect(sha(got.body)).toBe(a.sha256);
    expect(got.headers.get("x-hoursync-sha256")).toBe(a.sha256);

    await acme.owner.api.attachments.delete.mutate({ id: a.id });
    // Files are removed right after the deleting transaction commits.
    await expect.poll(() => s3.keys(), { timeout: 5_000 }).toEqual([]);
  });

  it("refuses a file over the limit and one of the wrong type, leaving nothing in the bucket", async () => {
    const before = await s3.keys();
    const tooLarge = await rejectionOf(upload(acme.owner.api, { entryId: (await entry()).id }, pngFile(MAX_BYTES + 1)));
    expect(tooLarge.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "TOO_LARGE" });
    const program = await rejectionOf(upload(acme.owner.api, { entryId: (await entry()).id, name: "receipt.png" }, exeFile()));
    expect(program.data).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "UNSUPPORTED_TYPE" });
    expect(await s3.keys()).toEqual(before);
  });
});
