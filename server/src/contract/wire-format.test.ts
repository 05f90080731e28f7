import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { wireFormat } from "./wire-format.js";

/** Plain JSON values and the ones only superjson carries, nested. */
const special = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.constant(undefined),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0),
  fc.bigInt(),
);
const leaf = fc.oneof({ weight: 4, arbitrary: fc.jsonValue({ maxDepth: 1 }) }, { weight: 1, arbitrary: special });
/** superjson refuses these keys on the path to an annotated value (its guard against prototype pollution), so both do. */
const GUARDED_KEYS = ["__proto__", "prototype", "constructor"];
const key = fc.string().filter((k) => !GUARDED_KEYS.includes(k));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("tree")), fc.dictionary(key, tie("tree"))),
}));

/** Over the wire as tRPC sends it: serialized, as JSON text, parsed, deserialized. */
const viaText = (value: unknown, send: (v: unknown) => unknown, read: (p: unknown) => unknown) => read(JSON.parse(JSON.stringify(send(value))));

describe("wire format (superjson's, with a fast path for plain JSON)", () => {
  it("brings every value back as superjson does, and each side reads what the other sends", () => {
    fc.assert(
      fc.property(tree, (value) => {
        let expected: unknown;
        try {
          expected = superjson.parse(superjson.stringify(value));
        } catch {
          return; // superjson refuses guarded keys even in plain values (below): nothing to compare with
        }
        expect(viaText(value, wireFormat.serialize, wireFormat.deserialize)).toEqual(expected);
        expect(viaText(value, wireFormat.serialize, (p) => superjson.deserialize(p as never))).toEqual(expected);
        expect(viaText(value, (v) => superjson.serialize(v), wireFormat.deserialize)).toEqual(expected);
        expect(wireFormat.parse(wireFormat.stringify(value))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("sends plain JSON as the same bytes superjson sends, without annotations", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let sent: unknown;
        try {
          sent = superjson.serialize(value);
        } catch {
          return; // a guarded key (see below)
        }
        expect(JSON.stringify(wireFormat.serialize(value))).toBe(JSON.stringify(sent));
      }),
    );
    expect(wireFormat.serialize({ mutations: [{ mutationId: 1, args: { start: "2026-12-01T09:00:00.000Z" } }] })).toEqual({
      json: { mutations: [{ mutationId: 1, args: { start: "2026-12-01T09:00:00.000Z" } }] },
    });
  });

  it("annotates what JSON cannot carry: dates, undefined, -0, NaN, class instances, deep nesting", () => {
    for (const value of [new Date(0), { at: new Date(0) }, [1, undefined], { a: undefined }, -0, Number.NaN, new Map([[1, 2]]), new Set([1])]) {
      expect(wireFormat.serialize(value)).toHaveProperty("meta");
    }
    // Keys superjson guards are refused on the path to an annotated value, as superjson does; plain values carry them.
    expect(() => wireFormat.parse(wireFormat.stringify({ prototype: new Date(0) }))).toThrow(/prototype pollution/);
    expect(wireFormat.parse(wireFormat.stringify({ prototype: 1, constructor: "x" }))).toEqual({ prototype: 1, constructor: "x" });
    let deep: unknown = new Date(0);
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(wireFormat.parse(wireFormat.stringify(deep))).toEqual(deep);
  });

  it("reads what arrived in place: the parsed payload's own objects come back", () => {
    const payload = JSON.parse('{"json":{"items":[{"id":1}]}}') as { json: { items: unknown[] } };
    const read = wireFormat.deserialize(payload) as { items: unknown[] };
    expect(read).toBe(payload.json);
    expect(read.items[0]).toBe(payload.json.items[0]);
  });
});
