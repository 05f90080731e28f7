import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchWhileBusy } from "./busy-retry.js";

let server: Server | undefined;

/** A real HTTP server answering the listed statuses in turn (with their Retry-After), then 200. */
async function serverAnswering(answers: { status: number; retryAfter?: string }[]): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  server = createServer((_req, res) => {
    const answer = answers[calls++];
    if (!answer) return res.writeHead(200, { "content-type": "text/csv" }).end("hours\n1\n");
    res.writeHead(answer.status, answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter }).end("{}");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/export`, calls: () => calls };
}

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe("fetchWhileBusy", () => {
  it("waits each busy answer's Retry-After and gets the file when the server has room", async () => {
    const { url, calls } = await serverAnswering([{ status: 429, retryAfter: "2" }, { status: 503, retryAfter: "1" }]);
    const waited: number[] = [];
    const res = await fetchWhileBusy(() => fetch(url), { attempts: 4, maxWaitMs: 5_000 }, async (ms) => void waited.push(ms));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hours\n1\n");
    expect(waited).toEqual([2_000, 1_000]);
    expect(calls()).toBe(3);
  });

  it("gives back the last busy answer after its attempts, and does not wait for a Retry-After past the limit", async () => {
    const busy = await serverAnswering([{ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 }]);
    const waited: number[] = [];
    const res = await fetchWhileBusy(() => fetch(busy.url), { attempts: 3, maxWaitMs: 5_000 }, async (ms) => void waited.push(ms));
    expect(res.status).toBe(429);
    expect(waited).toEqual([1_000, 1_000]);
    expect(busy.calls()).toBe(3);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const limited = await serverAnswering([{ status: 429, retryAfter: "60" }]);
    const res2 = await fetchWhileBusy(() => fetch(limited.url), { attempts: 4, maxWaitMs: 5_000 }, async () => expect.fail("must not wait a minute"));
    expect(res2.status).toBe(429);
    expect(limited.calls()).toBe(1);
  });

  it("does not ask again after a refusal that is not about load", async () => {
    const { url, calls } = await serverAnswering([{ status: 403 }]);
    const res = await fetchWhileBusy(() => fetch(url), { attempts: 4, maxWaitMs: 5_000 }, async () => expect.fail("must not wait"));
    expect(res.status).toBe(403);
    expect(calls()).toBe(1);
  });
});
