import { describe, expect, it } from "vitest";
import { withDeadline, type GaveUp } from "./deadline.js";

const gaveUp = (why: GaveUp) => new Error(why);
/** A call that never settles and pays no attention to its signal (as a fetch that lost its abort). */
const deaf = () => new Promise<never>(() => undefined);

describe("withDeadline", () => {
  it("gives up at the deadline even when the call ignores its signal, and aborts that signal", async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const err = await withDeadline(80, undefined, (signal) => ((seen = signal), deaf()), gaveUp).catch((e: unknown) => e);
    expect(err).toEqual(new Error("deadline"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen?.aborted).toBe(true);
  });

  it("gives up at once when the caller abandons the call, or had abandoned it before", async () => {
    const outer = new AbortController();
    const running = withDeadline(60_000, outer.signal, deaf, gaveUp);
    outer.abort();
    await expect(running).rejects.toEqual(new Error("abandoned"));
    let called = false;
    await expect(withDeadline(60_000, outer.signal, () => ((called = true), deaf()), gaveUp)).rejects.toEqual(new Error("abandoned"));
    expect(called).toBe(false);
  });

  it("answers what the call answers, and afterwards neither aborts its signal nor listens to the caller's", async () => {
    const outer = new AbortController();
    let seen: AbortSignal | undefined;
    expect(await withDeadline(50, outer.signal, async (signal) => ((seen = signal), "answer"), gaveUp)).toBe("answer");
    await new Promise((resolve) => setTimeout(resolve, 120));
    outer.abort();
    expect(seen?.aborted).toBe(false);
    await expect(withDeadline(1_000, undefined, () => Promise.reject(new Error("refused")), gaveUp)).rejects.toThrow("refused");
    await expect(withDeadline(1_000, undefined, () => { throw new Error("thrown"); }, gaveUp)).rejects.toThrow("thrown");
  });
});
