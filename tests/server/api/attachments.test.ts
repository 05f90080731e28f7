/**
 * Attachments over real HTTP on a real storage folder: round trip, retries,
 * limits counted while streaming, type from content, quota, locks, who may
 * do what, files removed with their rows, and attacks on the storage tree.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTACHMENT_HEADER, encodeAttachmentHeader } from "../../../server/src/contract/attachments.js";
import { withTenant } from "../../../server/src/db/tenant.js";
import { sweepRemovedFiles } from "../../../server/src/jobs/file-sweep.js";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { download, upload } from "../../support/attachments.js";
import { exeFile, pdfFile, pngFile } from "../../support/files.js";
import { createCompany, type Company, type Person } from "../../support/people.js";
import { rejectionOf, startTestServer, type TestServer } from "../../support/server.js";
import { deniedTally } from "../../support/denials.js";

const MAX_BYTES = 64 * 1024;
const QUOTA_BYTES = 160 * 1024;

let server: TestServer;
let root: string;
let acme: Company;
let ann: Person;
let bob: Person;
let day = 0;

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A fresh hour of `who`'s time (each call a new day, so nothing overlaps). */
async function entryOf(who: Person) {
  day++;
  const start = new Date(Date.UTC(2026, 2, 2 + day, 9));
  return who.api.entries.create.mutate({ start, end: new Date(start.getTime() + 3_600_000) });
}

/** Every file under the tenant's folder, relative to it (the incoming folder included). */
async function filesOf(tenantId: string): Promise<string[]> {
  const dir = path.join(root, tenantId);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    if (name === ".incoming") out.push(...(await readdir(path.join(dir, name))).map((n) => `.incoming/${n}`));
    else out.push(name);
  }
  return out.sort();
}

/** Everything under the storage root, as paths relative to it. */
async function treeOf(dir = root, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    out.push(rel);
    if (e.isDirectory()) out.push(...(await treeOf(path.join(dir, e.name), rel)));
  }
  return out.sort();
}

beforeAll(async () => {
  server = await startTestServer({
    env: { ATTACHMENT_MAX_BYTES: String(MAX_BYTES), ATTACHMENT_QUOTA_BYTES: String(QUOTA_BYTES), USER_RATE_LIMIT_PER_MINUTE: "100000" },
  });
  root = server.services.attachments.root!;
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
});
afterAll(async () => {
  await server.close();
});

describe("attachments", () => {
  it("stores an upload under the tenant's folder with a server-made name, lists it and streams it back intact", async () => {
    const entry = await entryOf(ann);
    const png = pngFile(20_000);
    const a = await upload(ann.api, { entryId: entry.id, name: "Quittung März.png" }, png);
    expect(a).toMatchObject({ entryId: entry.id, userId: ann.userId, name: "Quittung März.png", sizeBytes: png.length, contentType: "image/png", sha256: sha(png) });
    const stored = (await filesOf(acme.workspaceId)).filter((f) => !f.startsWith("."));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(await readFile(path.join(root, acme.workspaceId, stored[0]!))).toEqual(png);

    expect(await ann.api.attachments.list.query({ entryId: entry.id })).toEqual([a]);
    const got = await download(server.url, ann, acme.workspaceId, a.id);
    expect(got.status).toBe(200);
    expect(sha(got.body)).toBe(a.sha256);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="Quittung M_rz.png"; filename*=UTF-8''Quittung%20M%C3%A4rz.png`);
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    // Managers see their people's files; another employee does not.
    expect((await download(server.url, (await acme.hire("MANAGER")), acme.workspaceId, a.id)).status).toBe(200);
    expect((await download(server.url, bob, acme.workspaceId, a.id)).status).toBe(404);
    expect(await rejectionOf(bob.api.attachments.list.query({ entryId: entry.id }))).toMatchObject({ data: { code: "NOT_FOUND" } });
  });

  it("answers a retried upload with the attachment it already has, storing no second file", async () => {
    const entry = await entryOf(ann);
    const id = randomUUID();
    const pdf = pdfFile(4_000);
    const before = (await filesOf(acme.workspaceId)).length;
    const first = await upload(ann.api, { id, entryId: entry.id, name: "invoice.pdf" }, pdf);
    const again = await upload(ann.api, { id, entryId: entry.id, name: "invoice.pdf" }, pdf);
    expect(again).toEqual(first);
    expect(first.contentType).toBe("application/pdf");
    expect((await filesOf(acme.workspaceId)).length).toBe(before + 1);
    expect(await ann.api.attachments.list.query({ entryId: entry.id })).toHaveLength(1);
    // The same id on another entry is a conflict, not a second attachment.
    const other = await entryOf(ann);
    expect(await rejectionOf(upload(ann.api, { id, entryId: other.id }, pdf))).toMatchObject({ data: { code: "CONFLICT" } });
  });

  it("keeps the client's name out of every path: traversal, absolute and odd names are only labels", async () => {
    const entry = await entryOf(ann);
    const before = await treeOf();
    const names = ["../../../../etc/passwd.png", "/etc/hosts.png", "..\\..\\boot.ini.png", 'a"b;c=d.png', ".htaccess.png"];
    const made = [];
    for (const name of names) made.push(await upload(ann.api, { entryId: entry.id, name }, pngFile()));
    expect(made.map((m) => m.name)).toEqual(names);
    const added = (await treeOf()).filter((p) => !before.includes(p));
    expect(added).toHaveLength(names.length);
    for (const p of added) expect(p).toMatch(new RegExp(`^${acme.workspaceId}/[0-9a-f]{32}$`));
    const got = await download(server.url, ann, acme.workspaceId, made[3]!.id);
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="a_b_c_d.png"; filename*=UTF-8''a%22b%3Bc%3Dd.png`);
  });

  it("refuses names with NUL or control characters and missing metadata, writing nothing", async () => {
    const entry = await entryOf(ann);
    const before = await treeOf();
    for (const name of ["bad\u0000.png", "line\nbreak.png", " "]) {
      const err = await rejectionOf(upload(ann.api, { entryId: entry.id, name }, pngFile()));
      expect(err.data?.code, JSON.stringify(name)).toBe("BAD_REQUEST");
      expect(err.data?.fieldErrors).toHaveProperty("name");
    }
    const noHeader = await rejectionOf(ann.api.attachments.upload.mutate(new Blob([new Uint8Array(pngFile())])));
    expect(noHeader.data?.code).toBe("BAD_REQUEST");
    // A JSON body instead of a file: a typed refusal in tRPC's shape, not a crash.
    const json = await rejectionOf(ann.api.attachments.upload.mutate({ entryId: entry.id } as never));
    expect(json.data?.code).toBe("BAD_REQUEST");
    expect(await treeOf()).toEqual(before);
  });

  it("drops bidirectional controls from names, so a download cannot disguise its extension", async () => {
    const entry = await entryOf(ann);
    // Shown as "invoiceexe.png" where the override is honoured; really a name ending in ".exe".
    const disguised = await upload(ann.api, { entryId: entry.id, name: "invoice\u202Egnp.exe" }, pngFile());
    expect(disguised.name).toBe("invoicegnp.exe");
    const everyKind = "\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069h\u200Ei\u200Fj\u061Ck.png";
    expect((await upload(ann.api, { entryId: entry.id, name: everyKind }, pngFile())).name).toBe("abcdefghijk.png");
    const got = await download(server.url, ann, acme.workspaceId, disguised.id);
    expect(got.headers.get("content-disposition")).toBe(`attachment; filename="invoicegnp.exe"; filename*=UTF-8''invoicegnp.exe`);
    // Nothing but controls is no name at all.
    expect((await rejectionOf(upload(ann.api, { entryId: entry.id, name: "\u202E\u202D" }, pngFile()))).data?.fieldErrors).toHaveProperty("name");
  });

  it("stops an oversized upload while it streams, removing the partial file", async () => {
    const entry = await entryOf(ann);
    const before = await filesOf(acme.workspaceId);
    // A body of up to 100 MB that counts what the server pulled from it.
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${server.url}/trpc/attachments.upload`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${ann.token}`,
        [WORKSPACE_HEADER]: acme.workspaceId,
        [ATTACHMENT_HEADER]: encodeAttachmentHeader({ id: randomUUID(), entryId: entry.id, name: "huge.png" }),
        "content-type": "application/octet-stream",
      },
      body,
      duplex: "half",
    } as RequestInit).catch((err: unknown) => err);
    // Refused with 413 (or the connection cut once the answer is sent), long before 100 MB went over.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(JSON.stringify(await res.json())).toContain("TOO_LARGE");
    }
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(await filesOf(acme.workspaceId)).toEqual(before);
    const err = await rejectionOf(upload(ann.api, { entryId: entry.id }, pngFile(MAX_BYTES + 1)));
    expect(err.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "TOO_LARGE" });
    expect(await filesOf(acme.workspaceId)).toEqual(before);
  });

  it("decides the type from the content: a renamed text file or program is refused and removed", async () => {
    const entry = await entryOf(ann);
    const before = await filesOf(acme.workspaceId);
    const cases: [string, Uint8Array][] = [
      ["receipt.png", Buffer.from("just some text, not an image\n".repeat(20))],
      ["invoice.pdf", exeFile()],
      ["empty.png", new Uint8Array(0)],
    ];
    for (const [name, bytes] of cases) {
      const err = await rejectionOf(upload(ann.api, { entryId: entry.id, name }, bytes));
      expect(err.data, name).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "UNSUPPORTED_TYPE" });
    }
    expect(await filesOf(acme.workspaceId)).toEqual(before);
    expect(await ann.api.attachments.list.query({ entryId: entry.id })).toEqual([]);
  });

  it("enforces the workspace quota, counting bytes as they stream, and frees space on delete", async () => {
    const shop = await createCompany(server, "Shop");
    await shop.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const entry = await shop.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
    const big = pngFile(60 * 1024);
    const kept = [await upload(shop.owner.api, { entryId: entry.id }, big), await upload(shop.owner.api, { entryId: entry.id }, big)];
    const over = await rejectionOf(upload(shop.owner.api, { entryId: entry.id }, big));
    expect(over.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "QUOTA_EXCEEDED" });
    expect((await filesOf(shop.workspaceId)).filter((f) => !f.startsWith("."))).toHaveLength(2);
    await shop.owner.api.attachments.delete.mutate({ id: kept[0]!.id });
    expect((await filesOf(shop.workspaceId)).filter((f) => !f.startsWith("."))).toHaveLength(1);
    await upload(shop.owner.api, { entryId: entry.id }, big);
  });

  it("lets only who may edit the entry attach and delete, and never in a locked period", async () => {
    const annEntry = await entryOf(ann);
    expect(await rejectionOf(upload(bob.api, { entryId: annEntry.id }, pngFile()))).toMatchObject({ data: { code: "NOT_FOUND" } });
    const manager = await acme.hire("MANAGER", "max");
    expect(await rejectionOf(upload(manager.api, { entryId: annEntry.id }, pngFile()))).toMatchObject({ data: { code: "NOT_FOUND" } });
    const byAdmin = await upload(acme.owner.api, { entryId: annEntry.id }, pngFile());
    expect(byAdmin.userId).toBe(ann.userId);
    expect(await rejectionOf(bob.api.attachments.delete.mutate({ id: byAdmin.id }))).toMatchObject({ data: { code: "NOT_FOUND" } });

    const old = await ann.api.entries.create.mutate({ start: at("2026-01-05", 9), end: at("2026-01-05", 10) });
    const onOld = await upload(ann.api, { entryId: old.id }, pngFile());
    await acme.owner.api.workspace.update.mutate({ lockBefore: "2026-02-01" });
    try {
      expect((await rejectionOf(upload(ann.api, { entryId: old.id }, pngFile()))).data).toMatchObject({ reason: "LOCKED_PERIOD" });
      expect((await rejectionOf(ann.api.attachments.delete.mutate({ id: onOld.id }))).data).toMatchObject({ reason: "LOCKED_PERIOD" });
      // Reading stays open.
      expect((await download(server.url, ann, acme.workspaceId, onOld.id)).status).toBe(200);
    } finally {
      await acme.owner.api.workspace.update.mutate({ lockBefore: null });
    }
  });

  it("removes files with their attachment, with their entry (API and sync push), and with the workspace", async () => {
    const shop = await createCompany(server, "Deli");
    await shop.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const api = shop.owner.api;
    const stored = async () => (await filesOf(shop.workspaceId)).filter((f) => !f.startsWith("."));
    const e1 = await api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
    const e2 = await api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 10) });
    const a1 = await upload(api, { entryId: e1.id }, pngFile());
    await upload(api, { entryId: e1.id }, pdfFile());
    await upload(api, { entryId: e2.id }, pngFile());
    expect(await stored()).toHaveLength(3);
    await api.attachments.delete.mutate({ id: a1.id });
    expect(await stored()).toHaveLength(2);
    expect((await download(server.url, shop.owner, shop.workspaceId, a1.id)).status).toBe(404);
    await api.entries.delete.mutate({ id: e1.id });
    expect(await stored()).toHaveLength(1);
    const clientId = randomUUID();
    await api.sync.registerClient.mutate({ clientId, name: "laptop" });
    const pushed = await api.sync.push.mutate({ clientId, mutations: [{ mutationId: 1, name: "entry.delete", args: { id: e2.id } }] });
    expect(pushed.results[0]).toMatchObject({ status: "applied" });
    expect(await stored()).toHaveLength(0);

    const e3 = await api.entries.create.mutate({ start: at("2026-03-04", 9), end: at("2026-03-04", 10) });
    await upload(api, { entryId: e3.id }, pngFile());
    expect(existsSync(path.join(root, shop.workspaceId))).toBe(true);
    await api.workspace.delete.mutate({ confirmName: "Deli" });
    expect(existsSync(path.join(root, shop.workspaceId))).toBe(false);
  });

  it("removes, in the sweep, files a crash left queued after their rows were deleted", async () => {
    const shop = await createCompany(server, "Kiosk");
    const entry = await shop.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
    const a = await upload(shop.owner.api, { entryId: entry.id }, pngFile());
    const stored = async () => (await filesOf(shop.workspaceId)).filter((f) => !f.startsWith("."));
    // The row goes (its file is queued by the trigger), and the process "dies" before removing the file.
    await withTenant(server.services.db.prisma, shop.workspaceId, (db) =>
      db.attachment.delete({ where: { tenantId_id: { tenantId: shop.workspaceId, id: a.id } } }),
    );
    expect(await stored()).toHaveLength(1);
    expect(await sweepRemovedFiles(server.services)).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual([]);
    expect(await sweepRemovedFiles(server.services)).toBe(0);
  });

  it("pulls the attachments of the user's own entries, and their deletions, to devices", async () => {
    const entry = await entryOf(ann);
    const clientId = randomUUID();
    await ann.api.sync.registerClient.mutate({ clientId, name: "laptop" });
    const start = await ann.api.sync.pull.query({ cursor: 0, limit: 5000 });
    const a = await upload(ann.api, { entryId: entry.id }, pngFile());
    const bobs = await upload(bob.api, { entryId: (await entryOf(bob)).id }, pngFile());
    const page = await ann.api.sync.pull.query({ cursor: start.cursor, limit: 5000 });
    expect(page.attachments).toEqual([a]);
    await ann.api.attachments.delete.mutate({ id: a.id });
    await bob.api.attachments.delete.mutate({ id: bobs.id });
    const after = await ann.api.sync.pull.query({ cursor: page.cursor, limit: 5000 });
    expect(after.deletions).toEqual([{ entity: "attachment", id: a.id }]);
  });
});

describe("the storage tree under attack", () => {
  it("refuses to write through a symlink planted in place of a tenant's folder, and writes nothing outside", async () => {
    const victim = await createCompany(server, "Victim");
    await victim.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const outside = await mkdtemp(path.join(os.tmpdir(), "hoursync-outside-"));
    try {
      await symlink(outside, path.join(root, victim.workspaceId));
      const entry = await victim.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });
      const err = await rejectionOf(upload(victim.owner.api, { entryId: entry.id }, pngFile()));
      expect(err.data?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(err.message).toBe("Internal server error");
      expect(await readdir(outside)).toEqual([]);
      expect(await victim.owner.api.attachments.list.query({ entryId: entry.id })).toEqual([]);
      // Deleting the workspace removes the planted link, never what it points to.
      await writeFile(path.join(outside, "precious.txt"), "keep me");
      await victim.owner.api.workspace.delete.mutate({ confirmName: "Victim" });
      expect(await readdir(outside)).toEqual(["precious.txt"]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("never serves a file through a symlink planted at a stored file's name", async () => {
    const entry = await entryOf(ann);
    const a = await upload(ann.api, { entryId: entry.id }, pngFile());
    const key = (await filesOf(acme.workspaceId)).find((f) => !f.startsWith(".") && sha(new Uint8Array(0)) !== f)!;
    const secretDir = await mkdtemp(path.join(os.tmpdir(), "hoursync-secret-"));
    try {
      const secret = path.join(secretDir, "secret.txt");
      await writeFile(secret, "another tenant's secret");
      // Replace every stored file of the tenant with a link to the secret.
      const stored = (await filesOf(acme.workspaceId)).filter((f) => !f.startsWith("."));
      for (const f of stored) {
        await rm(path.join(root, acme.workspaceId, f));
        await symlink(secret, path.join(root, acme.workspaceId, f));
      }
      expect(key).toBeTruthy();
      const got = await download(server.url, ann, acme.workspaceId, a.id);
      expect(got.status).toBe(500);
      expect(got.body.toString()).not.toContain("secret");
      // Deleting removes the link and leaves its target alone.
      await ann.api.attachments.delete.mutate({ id: a.id });
      expect(await readFile(secret, "utf8")).toBe("another tenant's secret");
    } finally {
      await rm(secretDir, { recursive: true, force: true });
      // Later tests in this file read the tenant's folder: take the links out.
      for (const f of (await filesOf(acme.workspaceId)).filter((n) => !n.startsWith("."))) await rm(path.join(root, acme.workspaceId, f));
    }
  });

  it("cannot reach another tenant's attachment by id, through any door", async () => {
    const rival = await createCompany(server, "Rival");
    const entry = await entryOf(ann);
    const a = await upload(ann.api, { entryId: entry.id }, pngFile());
    // Naming its own workspace with A's attachment id: no such attachment there.
    expect((await download(server.url, rival.owner, rival.workspaceId, a.id)).status).toBe(404);
    expect(await rejectionOf(rival.owner.api.attachments.delete.mutate({ id: a.id }))).toMatchObject({ data: { code: "NOT_FOUND" } });
    expect(await rejectionOf(rival.owner.api.attachments.list.query({ entryId: entry.id }))).toMatchObject({ data: { code: "NOT_FOUND" } });
    // Naming A's workspace: not a member, refused and written into A's audit log.
    expect((await download(server.url, rival.owner, acme.workspaceId, a.id)).status).toBe(404);
    expect((await deniedTally(acme.owner.api, rival.owner.userId)).procedures).toEqual({ "attachments.content": 1 });
    expect((await download(server.url, ann, acme.workspaceId, a.id)).status).toBe(200);
    await mkdir(root, { recursive: true });
  });
});
