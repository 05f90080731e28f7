import { TRPCClientError } from "@trpc/client";
import { errorText } from "../../lib/errors";

/** The sign-in failures people meet, in their words: wrong password, no server, too many tries. */
export function signInMessage(err: unknown): string {
  const text = err instanceof TRPCClientError ? err.message : errorText(err);
  if (/cannot be reached|did not answer|fetch failed|ECONNREFUSED/i.test(text)) {
    return "The server cannot be reached. Check the address, or your connection, and try again.";
  }
  if (/invalid (email|credentials)|password/i.test(text)) return "Wrong e-mail or password.";
  const wait = /(\d+)\s*s(econds?)?/i.exec(text);
  if (/too many|throttl|rate/i.test(text)) {
    return wait ? `Too many attempts. Try again in ${wait[1]} seconds.` : "Too many attempts. Wait a moment and try again.";
  }
  return errorText(err);
}
