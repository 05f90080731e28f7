import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay } from "./backoff.js";

const JUST_BELOW_ONE = 1 - Number.EPSILON;

afterEach(() => vi.restoreAllMocks());

describe("backoffDelay", () => {
  it("scales the injected random number by min(max, base * 2^attempt)", () => {
    const opts = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, { ...opts, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(1, { ...opts, random: () => 0.5 })).toBe(1000);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(4000);
    expect(backoffDelay(10, { ...opts, random: () => 0.5 })).toBe(30_000); // capped at max
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...opts, random: () => JUST_BELOW_ONE })).toBe(7999);
  });

  it("asks the injected random source once per delay, and Math.random when none is given", () => {
    const random = vi.fn(() => 0.25);
    expect(backoffDelay(2, { baseMs: 100, maxMs: 10_000, random })).toBe(100);
    expect(random).toHaveBeenCalledTimes(1);

    const spy = vi.spyOn(Math, "random").mockReturnValue(0.75);
    expect(backoffDelay(2, { baseMs: 100, maxMs: 10_000 })).toBe(300);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("grows with the attempt until it reaches the max", () => {
    const delays = Array.from({ length: 12 }, (_, n) => backoffDelay(n, { baseMs: 100, maxMs: 50_000, random: () => JUST_BELOW_ONE }));
    expect(delays.slice(0, 9)).toEqual([99, 199, 399, 799, 1599, 3199, 6399, 12_799, 25_599]);
    for (let n = 1; n < delays.length; n++) expect(delays[n]!).toBeGreaterThanOrEqual(delays[n - 1]!);
    expect(delays.at(-1)).toBe(49_999);
  });

  it("stays finite for absurd attempt counts", () => {
    expect(backoffDelay(10_000, { baseMs: 1000, maxMs: 300_000, random: () => 0.5 })).toBe(150_000);
  });

  it("always lies in [0, min(max, base * 2^attempt)) and is a whole number of ms", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10 * 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, maxMs, r) => {
          const d = backoffDelay(attempt, { baseMs, maxMs, random: () => r });
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.min(maxMs, baseMs * 2 ** attempt));
        },
      ),
      { numRuns: 500 },
    );
  });
});
