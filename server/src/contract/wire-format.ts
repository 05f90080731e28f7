import superjson from "superjson";

/** Deeper than any answer of the API: such a value goes the general way (which also copes with cycles). */
const MAX_DEPTH = 32;

/** Whether JSON carries `value` exactly as it is: nothing superjson would annotate (Dates, undefined, -0, NaN...). */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * How values travel between the app and the server (and between the window and the desktop
 * core): superjson's format, so Dates and other non-JSON values survive, with a fast path both
 * ways. A value JSON already carries exactly goes as `{ json }` without superjson's walk (the
 * same bytes superjson would send), and what arrives was just parsed from the wire, so it is
 * read in place instead of being deep-copied first. For a sync push of a thousand changes that
 * walk and that copy were several milliseconds on each side. One difference: an object that
 * appears twice in a plain value arrives as two equal objects, not one.
 */
export const wireFormat = {
  serialize(value: unknown) {
    return isPlainJson(value, 0) ? { json: value } : superjson.serialize(value);
  },
  deserialize(payload: unknown) {
    return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0], { inPlace: true });
  },
  /** As text (the desktop's IPC carries strings). */
  stringify(value: unknown): string {
    return JSON.stringify(wireFormat.serialize(value));
  },
  parse(text: string): unknown {
    return wireFormat.deserialize(JSON.parse(text));
  },
};
