import { describe, expect, it } from "vitest";
import { DatabaseBusyError, isDatabaseBusy } from "./busy.js";

// Shapes only: Prisma 6.19 with driver adapters was not seen raising P2028 for a start wait here
// (the pool's own timeout comes first; tests/server/api/pool-exhaustion.test.ts has the real one).
describe("isDatabaseBusy (error shapes)", () => {
  it("knows Prisma's transaction-start timeout, the pool's connect timeout, wrapped or not", () => {
    const p2028 = Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" });
    expect(isDatabaseBusy(p2028)).toBe(true);
    expect(isDatabaseBusy(new Error("internal", { cause: new Error("timeout exceeded when trying to connect") }))).toBe(true);
    expect(isDatabaseBusy({ meta: { driverAdapterError: { cause: { originalMessage: "timeout exceeded when trying to connect" } } } })).toBe(true);
    expect(isDatabaseBusy(new DatabaseBusyError())).toBe(true);
  });

  it("does not take other failures for busy", () => {
    const expired = Object.assign(new Error("Transaction API error: A commit cannot be executed on an expired transaction."), { code: "P2028" });
    expect(isDatabaseBusy(expired)).toBe(false);
    expect(isDatabaseBusy(new Error("Unable to start a transaction in the given time."))).toBe(false);
    expect(isDatabaseBusy(new Error("division by zero"))).toBe(false);
    expect(isDatabaseBusy(null)).toBe(false);
    expect(isDatabaseBusy("timeout exceeded when trying to connect")).toBe(false);
  });
});
