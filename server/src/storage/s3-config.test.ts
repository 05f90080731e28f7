import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";

const S3 = { S3_BUCKET: "hoursync-files", S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY_ID: "key", S3_SECRET_ACCESS_KEY: "secret" };

describe("S3 storage settings", () => {
  it("reads a bucket with its endpoint, keys and path style", () => {
    const config = loadConfig({ ...S3, S3_FORCE_PATH_STYLE: "true" });
    expect(config).toMatchObject({ ...S3, S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: true });
    const plain = loadConfig({ S3_BUCKET: "hoursync-files" });
    expect(plain.S3_FORCE_PATH_STYLE).toBe(false);
    expect(plain.S3_ACCESS_KEY_ID).toBeUndefined();
  });

  it.each([
    ["a bucket and a folder at once", { ...S3, ATTACHMENT_DIR: "/srv/files" }, "S3_BUCKET"],
    ["one key without the other", { S3_BUCKET: "hoursync-files", S3_ACCESS_KEY_ID: "key" }, "S3_ACCESS_KEY_ID"],
    ["S3 settings without a bucket", { S3_ENDPOINT: "http://127.0.0.1:9000" }, "S3_BUCKET"],
    ["a bucket name S3 would refuse", { S3_BUCKET: "Hoursync_Files" }, "S3_BUCKET"],
    ["an endpoint that is no URL", { ...S3, S3_ENDPOINT: "minio:9000" }, "S3_ENDPOINT"],
    ["a path style that is not true or false", { ...S3, S3_FORCE_PATH_STYLE: "yes" }, "S3_FORCE_PATH_STYLE"],
  ])("refuses %s, naming the setting", (_label, env, setting) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`Invalid configuration: .*${setting}`));
  });
});
