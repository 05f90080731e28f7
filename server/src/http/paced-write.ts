import type { ServerResponse } from "node:http";

/** Bytes handed to the socket at a time: small enough that a slow but reading client shows progress often. */
const PIECE = 64 * 1024;

/** The client took nothing for the whole write timeout; the response was cut off. */
export class ClientStalledError extends Error {
  readonly code = "CLIENT_STALLED";
  constructor(ms: number) {
    super(`The client read nothing for ${ms} ms`);
    this.name = "ClientStalledError";
  }
}

function clientGone(): Error {
  return Object.assign(new Error("The client went away"), { code: "ECONNRESET" });
}

/** Waits until the client has read what the socket holds, for at most `idleMs`. */
function drained(res: ServerResponse, idleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      clearTimeout(timer);
      res.off("drain", onDrain);
      res.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => finish();
    const onClose = () => finish(clientGone());
    const timer = setTimeout(() => {
      finish(new ClientStalledError(idleMs));
      res.destroy();
    }, idleMs);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

/**
 * Writes `text` in pieces, and after every piece the socket could not take at
 * once waits for the client to read it: memory holds at most a piece beyond
 * the socket's buffers, and a client that reads nothing for `idleMs` is cut
 * off (ClientStalledError) instead of holding the response open for ever.
 */
export async function writePaced(res: ServerResponse, text: string, idleMs: number): Promise<void> {
  for (let at = 0; at < text.length; at += PIECE) {
    if (res.destroyed) throw clientGone();
    if (!res.write(text.slice(at, at + PIECE))) await drained(res, idleMs);
  }
}

/**
 * Sends `source` (a file being read) to the client with the same rule: at
 * most a chunk beyond the socket's buffers, and a client that reads nothing
 * for `idleMs` is cut off, which closes the file too.
 */
export async function pipePaced(source: AsyncIterable<Buffer>, res: ServerResponse, idleMs: number): Promise<void> {
  for await (const chunk of source) {
    if (res.destroyed) throw clientGone();
    if (!res.write(chunk)) await drained(res, idleMs);
  }
  res.end();
}
