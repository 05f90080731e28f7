import { describe, expect, it } from "vitest";
import { RateLimitedError } from "./errors.js";
import { HeavyWorkGate } from "./heavy-work.js";

const A = "a";
const B = "b";

/** Settles a promise into what happened to it, without waiting for it. */
function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

const tick = () => new Promise((r) => setImmediate(r));

describe("HeavyWorkGate", () => {
  it("gives a workspace its places, lines up the next calls in order, and hands a freed place to the first in line", async () => {
    const gate = new HeavyWorkGate({ perWorkspace: 2, queue: 2, queueWaitMs: 60_000 });
    const first = await gate.take(A);
    const second = await gate.take(A);
    const third = track(gate.take(A));
    const fourth = track(gate.take(A));
    await tick();
    expect(gate.usage(A)).toEqual({ running: 2, waiting: 2 });
    expect(third.done).toBe(false);

    first();
    first(); // given back twice: counted once
    await tick();
    expect(third.done).toBe(true);
    expect(fourth.done).toBe(false);
    expect(gate.usage(A)).toEqual({ running: 2, waiting: 1 });

    second();
    (third.value as () => void)();
    await tick();
    (fourth.value as () => void)();
    expect(gate.usage(A)).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses at once when the line is full, with a retry hint, and never for another workspace", async () => {
    const gate = new HeavyWorkGate({ perWorkspace: 1, queue: 1, queueWaitMs: 60_000 });
    const held = await gate.take(A);
    const waiting = track(gate.take(A));
    const refused = await gate.take(A).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).scope).toBe("heavy");
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(60);
    const other = await gate.take(B);
    expect(gate.usage(B)).toEqual({ running: 1, waiting: 0 });
    other();
    held();
    await tick();
    expect(waiting.done).toBe(true);
    (waiting.value as () => void)();
  });

  it("a call that waits longer than queueWaitMs is refused and leaves the line", async () => {
    const gate = new HeavyWorkGate({ perWorkspace: 1, queue: 4, queueWaitMs: 50 });
    const held = await gate.take(A);
    const refused = await gate.take(A).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(1);
    expect(gate.usage(A)).toEqual({ running: 1, waiting: 0 });
    held();
    expect(gate.usage(A)).toEqual({ running: 0, waiting: 0 });
  });

  it("run gives the place back when the work fails", async () => {
    const gate = new HeavyWorkGate({ perWorkspace: 1, queue: 0, queueWaitMs: 0 });
    await expect(gate.run(A, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(gate.usage(A)).toEqual({ running: 0, waiting: 0 });
    expect(await gate.run(A, async () => 42)).toBe(42);
  });

  it("rests a place once the workspace is past its share of heavy time, before its next read gets it", async () => {
    // No burst, half of the place's time: a read of 200 ms is followed by a rest of about 200 ms.
    const gate = new HeavyWorkGate({ perWorkspace: 1, queue: 1, queueWaitMs: 60_000, time: { share: 0.5, burstMs: 0 } });
    await gate.run(A, () => new Promise((r) => setTimeout(r, 200)));
    const asked = performance.now();
    const next = await gate.take(A);
    const waited = performance.now() - asked;
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(5_000);
    // Another workspace's place never rests for it.
    const startedB = performance.now();
    (await gate.take(B))();
    expect(performance.now() - startedB).toBeLessThan(50);
    next();
  });

  it("hands the place over at once while the workspace's burst lasts", async () => {
    const gate = new HeavyWorkGate({ perWorkspace: 1, queue: 1, queueWaitMs: 60_000, time: { share: 0.25, burstMs: 5_000 } });
    await gate.run(A, () => new Promise((r) => setTimeout(r, 100)));
    expect(gate.usage(A)).toEqual({ running: 0, waiting: 0 });
  });
});
