import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { RateLimitedError } from "../rate-limit/errors.js";
import type { Context } from "./context.js";

/**
 * One tRPC instance. The formatter is the last line of defence against
 * leaks: internal errors reach the client as a fixed message, never with
 * a stack, SQL or driver text; validation errors carry their field errors.
 */
export const t = initTRPC.context<Context>().create({
  isDev: false,
  // Dates and other non-JSON values survive the wire both ways.
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const limited = error.cause instanceof RateLimitedError ? error.cause : null;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      message: internal ? "Internal server error" : zod ? "Invalid input" : shape.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: zod?.fieldErrors ?? null,
        formErrors: zod?.formErrors ?? null,
        retryAfterSeconds: limited?.retryAfterSeconds ?? null,
        reason: reasonOf(error),
      },
    };
  },
});

/** A machine-readable reason some errors carry (e.g. OVERLAP), for the app to show. */
export class ReasonedError extends TRPCError {
  constructor(
    code: TRPCError["code"],
    readonly reason: string,
    message: string,
  ) {
    super({ code, message });
  }
}

function reasonOf(error: TRPCError): string | null {
  return error instanceof ReasonedError ? error.reason : null;
}

export const router = t.router;
export const middleware = t.middleware;
function hasNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 20 || typeof value !== "object" || value === null) return false;
  return Object.values(value).some((v) => hasNulByte(v, depth + 1));
}

/** PostgreSQL text cannot hold NUL bytes: refuse them up front, in every input, as bad input. */
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  if (hasNulByte(await getRawInput())) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Text must not contain NUL characters" });
  }
  return next();
});
export const createCallerFactory = t.createCallerFactory;
