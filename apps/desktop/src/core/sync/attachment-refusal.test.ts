import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { attachmentRefusal } from "./attachment-refusal.js";

function serverError(code: string, reason: string | null, message = "refused") {
  return TRPCClientError.from({ error: { message, code: -32000, data: { code, reason } } });
}

describe("attachmentRefusal", () => {
  it("keeps the server's typed reason", () => {
    for (const reason of ["TOO_LARGE", "UNSUPPORTED_TYPE", "QUOTA_EXCEEDED", "LOCKED_PERIOD"]) {
      expect(attachmentRefusal(serverError("BAD_REQUEST", reason, "no"))).toEqual({ reason, message: "no" });
    }
    expect(attachmentRefusal(serverError("CONFLICT", "OVERLAP"))?.reason).toBe("CONFLICT");
  });

  it("turns final error codes into reasons", () => {
    expect(attachmentRefusal(serverError("NOT_FOUND", null))?.reason).toBe("NOT_FOUND");
    expect(attachmentRefusal(serverError("FORBIDDEN", null))?.reason).toBe("FORBIDDEN");
    expect(attachmentRefusal(serverError("BAD_REQUEST", null))?.reason).toBe("VALIDATION");
    expect(attachmentRefusal(serverError("PAYLOAD_TOO_LARGE", null))?.reason).toBe("TOO_LARGE");
  });

  it("leaves transient failures to be retried", () => {
    for (const code of ["TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR", "UNAUTHORIZED", "SERVICE_UNAVAILABLE"]) {
      expect(attachmentRefusal(serverError(code, null))).toBeNull();
    }
    expect(attachmentRefusal(new TypeError("fetch failed"))).toBeNull();
    expect(attachmentRefusal(TRPCClientError.from(new TypeError("fetch failed")))).toBeNull();
  });

  it("reads a 413 from the HTTP layer, which answers outside tRPC's shape", () => {
    const err = TRPCClientError.from(new Error("Unexpected response"), { meta: { response: { status: 413 } } as never });
    expect(attachmentRefusal(err)?.reason).toBe("TOO_LARGE");
  });
});
