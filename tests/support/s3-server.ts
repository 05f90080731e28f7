import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Config } from "../../server/src/config.js";
import { s3Client } from "../../server/src/storage/s3-bucket.js";

/** A local S3-compatible server (s3rver in a child process, files in a temporary folder) with one empty bucket. */
export interface TestS3 {
  bucket: string;
  endpoint: string;
  /** The server's S3_* settings for this bucket. */
  env: Partial<Record<keyof Config, string>>;
  client: S3Client;
  /** Every object key in the bucket (optionally under `prefix`). */
  keys(prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTestS3(bucket = "hoursync-test"): Promise<TestS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "hoursync-s3-"));
  const { child, port } = await runS3rver(directory, bucket);
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver checks signatures against its fixed pair.
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = s3Client({ bucket, endpoint, region: "us-east-1", credentials, forcePathStyle: true });
  return {
    bucket,
    endpoint,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    client,
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async close() {
      client.destroy();
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver 3.7 makes ListObjectsV2 continuation tokens with DES, which Node's
 * OpenSSL 3 only has with its legacy provider: so the server runs in a
 * process of its own started with that flag (the test process keeps the
 * default). It prints its port once it listens.
 */
async function runS3rver(directory: string, bucket: string): Promise<{ child: ChildProcess; port: number }> {
  const script = `
    const S3rver = require("s3rver");
    const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: ${JSON.stringify(directory)}, configureBuckets: [{ name: ${JSON.stringify(bucket)} }] });
    server.run().then((address) => console.log(JSON.stringify({ port: address.port })));
    process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
    // A test process that dies without closing it takes the server with it.
    process.on("disconnect", () => process.exit(0));
  `;
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", script], { stdio: ["ignore", "pipe", "inherit", "ipc"], cwd: process.cwd() });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, "line").then(([line]) => String(line)),
    once(child, "exit").then(([code]) => Promise.reject(new Error(`s3rver exited with ${String(code)} before listening`))),
  ]);
  lines.close();
  return { child, port: (JSON.parse(first) as { port: number }).port };
}
