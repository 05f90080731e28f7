/** Real bytes of small files whose type detection from content must work. */
import { deflateSync } from "node:zlib";
import { pngChunk as chunk } from "../../apps/desktop/src/core/testing/sample-files.js";

/** A valid 1x1 PNG, padded with a text chunk to about `bytes` bytes. */
export function pngFile(bytes = 200): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const idat = deflateSync(Buffer.from([0, 255, 0, 0]));
  const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr)]);
  const tail = Buffer.concat([chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
  const pad = Math.max(0, bytes - head.length - tail.length - 12 - 8);
  const text = Buffer.concat([Buffer.from("Comment\0", "latin1"), Buffer.alloc(pad, 0x61)]);
  return Buffer.concat([head, chunk("tEXt", text), tail]);
}

/** A minimal PDF of about `bytes` bytes. */
export function pdfFile(bytes = 300): Buffer {
  const head = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n";
  const tail = "trailer << /Root 1 0 R >>\n%%EOF\n";
  return Buffer.from(head + "%".repeat(Math.max(0, bytes - head.length - tail.length)) + tail, "latin1");
}

/** A Windows executable's first bytes: refused whatever it is called. */
export function exeFile(): Buffer {
  const b = Buffer.alloc(512);
  b.write("MZ", 0, "latin1");
  return b;
}
