import net from "node:net";

/**
 * A GET over a raw socket whose client reads the first bytes of the answer
 * and then stops reading, as a stalled or malicious client does: the server's
 * writes pile up in the socket buffers until they are full.
 */
export interface StalledGet {
  /** Resolves with the status line once the answer has started. */
  started: Promise<string>;
  /**
   * Reads again, to the end: whether the answer was complete (the chunked
   * body's last chunk came, or as many bytes as its Content-Length said) or
   * cut short.
   */
  resume(): Promise<{ complete: boolean }>;
  /** From now on reads a little every 200 ms: a slow client that keeps the answer going, not a stalled one. */
  trickle(): void;
  destroy(): void;
}

export function stalledGet(baseUrl: string, path: string, headers: Record<string, string>): StalledGet {
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  let tail = Buffer.alloc(0);
  let head = "";
  let received = 0;
  let trickling: NodeJS.Timeout | undefined;
  const keepTail = (chunk: Buffer) => {
    tail = Buffer.concat([tail, chunk]).subarray(-16);
    received += chunk.length;
    if (!head.includes("\r\n\r\n")) head += chunk.toString("latin1").slice(0, 4096);
  };
  const complete = () => {
    const end = head.indexOf("\r\n\r\n");
    const length = /\r\ncontent-length: *(\d+)/i.exec(head.slice(0, end));
    if (length) return end >= 0 && received - (end + 4) === Number(length[1]);
    return tail.toString("latin1").endsWith("\r\n0\r\n\r\n");
  };
  socket.on("error", () => undefined);
  const started = new Promise<string>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("data", (first: Buffer) => {
      keepTail(first);
      socket.pause();
      resolve(first.toString("latin1").split("\r\n")[0]!);
    });
  });
  return {
    started,
    trickle: () => {
      // One chunk (at most 64 KiB) every 200 ms.
      trickling = setInterval(() => {
        socket.once("data", () => socket.pause());
        socket.resume();
      }, 200);
    },
    resume: () =>
      new Promise((resolve) => {
        clearInterval(trickling);
        socket.removeAllListeners("data");
        const done = () => resolve({ complete: complete() });
        socket.on("data", (chunk: Buffer) => {
          keepTail(chunk);
          // A kept-alive connection stays open after a whole Content-Length body.
          if (complete()) done();
        });
        socket.once("end", done);
        socket.once("close", done);
        socket.resume();
      }),
    destroy: () => {
      clearInterval(trickling);
      socket.destroy();
    },
  };
}
