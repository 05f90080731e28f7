import { TRPCError } from "@trpc/server";
import { z } from "zod";

/**
 * Bad input found after the schema passed (it needed the database): answered
 * exactly like a schema failure, BAD_REQUEST with the field named in
 * `fieldErrors`, so clients handle both the same way.
 */
export function fieldError(field: string, message: string): TRPCError {
  const refusal = z.object({ [field]: z.custom(() => false, message) }).safeParse({});
  return new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: refusal.error });
}
