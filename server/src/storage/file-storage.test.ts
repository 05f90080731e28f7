/**
 * The FileStorage contract, run against each implementation: the local
 * folder, and an S3 bucket on a real S3-compatible server (s3rver, started
 * here in-process on 127.0.0.1).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestS3, type TestS3 } from "../../../tests/support/s3-server.js";
import { StorageLimitError, type FileStorage } from "./file-storage.js";
import { localDirectoryStorage } from "./local-directory.js";
import { s3BucketStorage } from "./s3-bucket.js";
import { StorageNameError } from "./storage-names.js";

interface Subject {
  storage: FileStorage;
  /** Everything stored for the tenant, partial uploads included. */
  namesOf(tenantId: string): Promise<string[]>;
  close(): Promise<void>;
}

const implementations: { label: string; make: () => Promise<Subject> }[] = [
  {
    label: "local folder",
    make: async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), "hoursync-storage-"));
      return {
        storage: await localDirectoryStorage(root),
        namesOf: async (tenantId) => (await readdir(path.join(root, tenantId), { recursive: true }).catch(() => [] as string[])).filter((n) => n !== ".incoming"),
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
  {
    label: "S3 bucket (s3rver)",
    make: async () => {
      const s3: TestS3 = await startTestS3();
      // Pages of 2 so that removing a tenant's files has to follow the listing's pages.
      return { storage: s3BucketStorage(s3.client, s3.bucket, { pageSize: 2 }), namesOf: (tenantId) => s3.keys(`${tenantId}/`), close: () => s3.close() };
    },
  },
];

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** `bytes` in chunks of 64 KiB, as a client's body arrives. */
function streamOf(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
  return Readable.from(chunks);
}

describe.each(implementations)("file storage: $label", ({ make }) => {
  let subject: Subject;
  let storage: FileStorage;
  beforeAll(async () => {
    subject = await make();
    storage = subject.storage;
  });
  afterAll(() => subject?.close());

  it("stores a file and gives back the same bytes, counted and hashed", async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(100_000);
    const stored = await storage.put(tenant, streamOf(bytes), 1 * MiB);
    expect(stored.key).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.sizeBytes).toBe(bytes.length);
    expect(stored.sha256).toBe(sha256(bytes));
    const read = await storage.open(tenant, stored.key);
    expect(await buffer(read!)).toEqual(bytes);
    expect(await subject.namesOf(tenant)).toHaveLength(1);
  });

  it("stores a file larger than one upload part", async () => {
    const tenant = randomUUID();
    const bytes = randomBytes(11 * MiB + 123);
    const stored = await storage.put(tenant, streamOf(bytes), 12 * MiB);
    expect(stored.sizeBytes).toBe(bytes.length);
    expect(stored.sha256).toBe(sha256(bytes));
    expect(sha256(await buffer((await storage.open(tenant, stored.key))!))).toBe(stored.sha256);
  });

  it.each([
    ["a small file", 4_000, 3_000],
    ["a file past the first upload part", 12 * MiB, 11 * MiB],
  ])("refuses %s over its byte budget and keeps nothing", async (_label, size, limit) => {
    const tenant = randomUUID();
    const source = streamOf(randomBytes(size));
    const refusal = await storage.put(tenant, source, limit).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(StorageLimitError);
    expect(source.destroyed).toBe(true);
    expect(await subject.namesOf(tenant)).toEqual([]);
  });

  it("keeps nothing of an upload whose sender breaks off", async () => {
    const tenant = randomUUID();
    const source = new Readable({ read() {} });
    source.push(randomBytes(10_000));
    setTimeout(() => source.destroy(new Error("client went away")), 20);
    await expect(storage.put(tenant, source, 1 * MiB)).rejects.toThrow("client went away");
    expect(await subject.namesOf(tenant)).toEqual([]);
  });

  it("answers null for a file that is not there, and removing one is no error", async () => {
    const tenant = randomUUID();
    const key = randomBytes(16).toString("hex");
    expect(await storage.open(tenant, key)).toBeNull();
    await storage.remove(tenant, key);
    await storage.removeTenant(tenant);
  });

  it("removes one file, then all of a tenant's, and never a neighbour's", async () => {
    const [tenant, neighbour] = [randomUUID(), randomUUID()];
    const keys = [];
    for (let i = 0; i < 5; i++) keys.push((await storage.put(tenant, streamOf(randomBytes(1_000)), MiB)).key);
    const theirs = await storage.put(neighbour, streamOf(randomBytes(1_000)), MiB);

    await storage.remove(tenant, keys[0]!);
    expect(await storage.open(tenant, keys[0]!)).toBeNull();
    expect(await subject.namesOf(tenant)).toHaveLength(4);

    await storage.removeTenant(tenant);
    expect(await subject.namesOf(tenant)).toEqual([]);
    for (const key of keys) expect(await storage.open(tenant, key)).toBeNull();
    expect(await subject.namesOf(neighbour)).toEqual([expect.stringContaining(theirs.key)]);
    // A neighbour's key under the wrong tenant is simply not there.
    expect(await storage.open(tenant, theirs.key)).toBeNull();
  });

  it.each([
    ["a tenant id that is not a uuid", "../other", "0".repeat(32)],
    ["a key that is not a storage key", randomUUID(), "../../etc/passwd"],
    ["a key naming a prefix", randomUUID(), ""],
  ])("refuses %s and touches nothing", async (_label, tenant, key) => {
    await expect(storage.open(tenant, key)).rejects.toBeInstanceOf(StorageNameError);
    await expect(storage.remove(tenant, key)).rejects.toBeInstanceOf(StorageNameError);
  });

  it("refuses a forged tenant id for a whole-tenant removal and for an upload", async () => {
    await expect(storage.removeTenant("")).rejects.toBeInstanceOf(StorageNameError);
    await expect(storage.put("not-a-tenant", streamOf(randomBytes(10)), MiB)).rejects.toBeInstanceOf(StorageNameError);
  });
});
