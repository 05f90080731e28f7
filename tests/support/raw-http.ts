import net from "node:net";

export interface RawHttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/**
 * One kept-alive HTTP/1.1 connection over a raw socket, to see what happens
 * to the requests that follow one on the same connection (what fetch hides).
 */
export interface RawConnection {
  /** Writes bytes as they are (a request, or part of one). */
  write(bytes: string | Buffer): void;
  /** The next answer; "closed" when the server closed the connection first, "silent" when nothing came in `waitMs`. */
  nextResponse(waitMs: number): Promise<RawHttpResponse | "closed" | "silent">;
  close(): void;
}

export function rawConnection(baseUrl: string): RawConnection {
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  let buffer = Buffer.alloc(0);
  let closed = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    poke();
  });
  const onEnd = () => {
    closed = true;
    poke();
  };
  socket.on("end", onEnd);
  socket.on("close", onEnd);
  // A server that closes while the body is still being written makes writes fail: that is an outcome, not a crash.
  socket.on("error", onEnd);

  /** A complete response at the start of the buffer, taken off it. */
  function takeResponse(): RawHttpResponse | null {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return null;
    const [statusLine, ...lines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    if (buffer.length < end + 4 + length) return null;
    const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(statusLine!.split(" ")[1]), headers, body };
  }

  return {
    write: (bytes) => {
      if (!closed) socket.write(bytes);
    },
    async nextResponse(waitMs) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const response = takeResponse();
        if (response) return response;
        if (closed) return "closed";
        const left = deadline - Date.now();
        if (left <= 0) return "silent";
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
      }
    },
    close: () => socket.destroy(),
  };
}

/** The bytes of an HTTP/1.1 request with a body, keep-alive. */
export function httpRequest(method: string, path: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: keep-alive", `Content-Length: ${body.length}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]);
}
