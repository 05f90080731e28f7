import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { byteMeter } from "./byte-meter.js";
import { StorageLimitError, type FileStorage, type StoredFile } from "./file-storage.js";
import { checkedName, newStorageKey } from "./storage-names.js";

export interface S3BucketOptions {
  bucket: string;
  /** An S3-compatible server's URL; unset = AWS itself. */
  endpoint?: string;
  region: string;
  /** Unset = the SDK's own credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** S3's smallest part; an upload buffers one part at a time (queueSize 1), so each upload holds at most this much memory. */
const PART_BYTES = 5 * 1024 * 1024;

export function s3Client(opts: S3BucketOptions): S3Client {
  return new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    credentials: opts.credentials,
    forcePathStyle: opts.forcePathStyle,
    // Every call to the store has a deadline: a store that stops answering must not hold a request forever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    // Checksums only where S3 demands them: S3-compatible servers differ in which newer ones they accept, and put() hashes with SHA-256 itself.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function named(err: unknown, ...names: string[]): boolean {
  return err instanceof S3ServiceException && names.includes(err.name);
}

/**
 * Files as objects `<tenantId>/<key>` in one bucket. The same name rules as
 * the local folder (a uuid, 32 hex digits) so no input names another
 * tenant's prefix. Uploads stream through the byte meter into a multipart
 * upload (a single PUT when small); one over its budget is aborted and leaves
 * no object.
 */
export function s3BucketStorage(client: S3Client, bucket: string, opts: { pageSize?: number } = {}): FileStorage {
  /** Objects listed and deleted per request when a tenant is removed (S3's most is 1000). */
  const pageSize = opts.pageSize ?? 1000;
  const objectKey = (tenantId: string, key: string) => `${tenantId}/${key}`;

  async function deleteAll(prefix: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: pageSize }));
      const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (objects.length > 0) {
        const result = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`The store kept ${result.Errors.length} objects of a removed tenant (${result.Errors[0]?.Code ?? "no code"})`);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Uploads a crash left unfinished: their parts are stored too. Servers that cannot list them (NotImplemented) rely on the bucket's lifecycle rule. */
  async function abortUnfinished(prefix: string): Promise<void> {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await client
        .send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }))
        .catch((err: unknown) => (named(err, "NotImplemented") ? null : Promise.reject(err)));
      if (!page) return;
      for (const upload of page.Uploads ?? []) {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
  }

  return {
    async put(tenantId, source, maxBytes) {
      checkedName(tenantId);
      const key = newStorageKey();
      const meter = byteMeter(maxBytes);
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: objectKey(tenantId, key), Body: meter.stream, ContentType: "application/octet-stream" },
        partSize: PART_BYTES,
        queueSize: 1,
      });
      try {
        await Promise.all([pipeline(source, meter.stream), upload.done()]);
      } catch (err) {
        // Stop reading the client's body, and make sure nothing of the file stays (lib-storage aborts its multipart upload itself).
        source.destroy();
        meter.stream.destroy();
        await upload.abort().catch(() => {});
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) })).catch(() => {});
        // The budget's refusal wins over whatever the upload made of the broken stream.
        throw meter.stream.errored instanceof StorageLimitError ? meter.stream.errored : err;
      }
      return { key, sizeBytes: meter.sizeBytes(), sha256: meter.sha256() } satisfies StoredFile;
    },

    async open(tenantId, key) {
      checkedName(tenantId, key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) }));
        if (!(object.Body instanceof Readable)) throw new Error("The store answered without a readable body");
        return object.Body;
      } catch (err) {
        if (named(err, "NoSuchKey", "NotFound")) return null;
        throw err;
      }
    },

    async remove(tenantId, key) {
      checkedName(tenantId, key);
      // S3 answers a delete of a missing object with success too.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(tenantId, key) }));
    },

    async removeTenant(tenantId) {
      checkedName(tenantId);
      const prefix = `${tenantId}/`;
      await abortUnfinished(prefix);
      await deleteAll(prefix);
    },
  };
}
