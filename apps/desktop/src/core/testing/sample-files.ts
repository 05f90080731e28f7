/**
 * Small real files for attachment tests, written by hand so that type
 * detection from content (PNG signature + IHDR, "%PDF-") recognises them.
 * `note` makes each one's bytes (and sha-256) unique.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A 1x1 grey PNG with a text chunk carrying `note`. */
export function pngBytes(note = "hoursync"): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("tEXt", Buffer.from(`Comment\0${note}`, "latin1")),
    pngChunk("IDAT", deflateSync(Buffer.from([0, 0x80]))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A one-page PDF saying `note`. */
export function pdfBytes(note = "hoursync"): Buffer {
  return Buffer.from(
    [
      "%PDF-1.4",
      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj",
      `% ${note}`,
      "trailer << /Root 1 0 R >>",
      "%%EOF",
      "",
    ].join("\n"),
    "latin1",
  );
}

export const sha256Of = (bytes: Buffer | Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Writes `bytes` to `file` and returns what an attachment of it must show. */
export function writeSample(file: string, bytes: Buffer): { file: string; sizeBytes: number; sha256: string } {
  writeFileSync(file, bytes);
  return { file, sizeBytes: bytes.length, sha256: sha256Of(bytes) };
}
