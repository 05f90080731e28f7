import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { ArchiveRejectedError, malformed } from "./archive-errors.js";

/** What an uploaded archive may unpack to: a zip bomb is refused from its directory, before any byte is inflated. */
export interface ArchiveLimits {
  /** Bytes of the upload itself. */
  maxBytes: number;
  /** Bytes of all its entries once inflated. */
  maxExpandedBytes: number;
  /** Entries in its directory. */
  maxEntries: number;
}

/** An opened archive: its entries by name, each read on demand. */
export interface ArchiveZip {
  names(): string[];
  /** The entry's bytes inflated as a stream (checked against its declared size and CRC by yauzl); null when absent. */
  open(name: string): Promise<Readable | null>;
  /** The entry's declared inflated size. */
  sizeOf(name: string): number;
  close(): void;
}

const asPromise = <T>(start: (cb: (err: Error | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => start((err, value) => (err || value === undefined ? reject(err ?? new Error("no value")) : resolve(value))));

/**
 * Opens the zip at `file` (already on disk: a zip's directory is at its end)
 * and reads its directory. yauzl refuses absolute names and names with `..`
 * (an exporter writes neither, so such an archive is forged, and refused
 * whole); entries beyond `limits` are refused before anything is inflated.
 */
export async function openArchiveZip(file: string, limits: ArchiveLimits): Promise<ArchiveZip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await asPromise<yauzl.ZipFile>((cb) => yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true }, cb));
  } catch {
    throw malformed("The upload is not a zip archive");
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveRejectedError("TOO_LARGE", `The archive has more than ${limits.maxEntries} entries`);
    }
    const entries = await readDirectory(zip);
    let expanded = 0;
    for (const entry of entries.values()) expanded += entry.uncompressedSize;
    if (expanded > limits.maxExpandedBytes) {
      throw new ArchiveRejectedError("TOO_LARGE", `The archive unpacks to more than ${limits.maxExpandedBytes} bytes`);
    }
    return {
      names: () => [...entries.keys()],
      sizeOf: (name) => entries.get(name)?.uncompressedSize ?? 0,
      async open(name) {
        const entry = entries.get(name);
        if (!entry) return null;
        try {
          return await asPromise<Readable>((cb) => zip.openReadStream(entry, cb));
        } catch {
          throw malformed("An entry of the archive cannot be read", name);
        }
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function readDirectory(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith("/")) {
        if (entries.has(entry.fileName)) return reject(malformed("The archive names an entry twice", entry.fileName));
        entries.set(entry.fileName, entry);
      }
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    // yauzl's own words name what is wrong (an invalid relative path, a bad directory): they carry no server detail.
    zip.once("error", (err: Error) => reject(malformed(`The archive is damaged or unsafe: ${err.message}`)));
    zip.readEntry();
  });
}
