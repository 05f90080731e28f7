import { z } from "zod";
import { LocalError } from "./errors.js";

/** Parses input with a zod schema; a failure is a VALIDATION LocalError with the field errors. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const flat = z.flattenError(result.error);
    throw new LocalError("VALIDATION", result.error.issues[0]?.message ?? "Invalid input", flat.fieldErrors as Record<string, string[]>);
  }
  return result.data;
}
