import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { spansOverlap, Timeline } from "./entry-rules.js";

type Op = { k: "put" | "remove"; id: number; start: number; length: number | null };

const op: fc.Arbitrary<Op> = fc.record({
  k: fc.constantFrom("put" as const, "put" as const, "remove" as const),
  id: fc.integer({ min: 0, max: 12 }),
  start: fc.integer({ min: 0, max: 60 }),
  length: fc.option(fc.integer({ min: 1, max: 10 }), { freq: 6 }),
});

const span = (o: Op) => ({ id: `e${o.id}`, start: new Date(o.start), end: o.length === null ? null : new Date(o.start + o.length) });

describe("Timeline", () => {
  it("accepts and refuses exactly what a comparison with every other span would", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const timeline = new Timeline();
        const model = new Map<string, ReturnType<typeof span>>();
        for (const o of ops) {
          const s = span(o);
          if (o.k === "remove") {
            timeline.remove(s.id);
            model.delete(s.id);
            continue;
          }
          const clash = [...model.values()].some((m) => m.id !== s.id && spansOverlap(m, s));
          let refused = false;
          try {
            timeline.checkFree(s);
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            refused = true;
          }
          expect(refused).toBe(clash);
          if (!refused) {
            timeline.set(s);
            model.set(s.id, s);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("lets back-to-back spans touch and keeps a running timer open to the end of time", () => {
    const t = new Timeline([{ id: "a", start: new Date(10), end: new Date(20) }]);
    expect(() => t.checkFree({ id: "b", start: new Date(20), end: new Date(30) })).not.toThrow();
    expect(() => t.checkFree({ id: "b", start: new Date(0), end: new Date(10) })).not.toThrow();
    t.set({ id: "run", start: new Date(100), end: null });
    expect(() => t.checkFree({ id: "c", start: new Date(5000), end: new Date(5001) })).toThrow(DomainError);
    expect(() => t.checkFree({ id: "run", start: new Date(100), end: new Date(200) })).not.toThrow();
  });
});
