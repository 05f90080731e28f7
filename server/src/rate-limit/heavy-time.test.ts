import { describe, expect, it } from "vitest";
import { HeavyTimeAccounts } from "./heavy-time.js";

describe("HeavyTimeAccounts", () => {
  it("lets a workspace spend its burst, then rests its place until its share has earned the debt back", () => {
    const accounts = new HeavyTimeAccounts(0.25, 1_000);
    // Back-to-back reads of 400 ms: each costs 400 and earns 100, so 300 net.
    expect(accounts.book("a", 0, 400)).toBe(0); // 700 left
    expect(accounts.book("a", 400, 800)).toBe(0); // 400 left
    expect(accounts.book("a", 800, 1_200)).toBe(0); // 100 left
    // 200 in debt: earned back at a quarter of a millisecond per millisecond.
    expect(accounts.book("a", 1_200, 1_600)).toBe(800);
    // After that rest the next read starts at zero and owes its own 300: the place is held to 400 in 1,600.
    expect(accounts.book("a", 2_400, 2_800)).toBe(1_200);
    // Another workspace has its own account.
    expect(accounts.book("b", 2_400, 2_800)).toBe(0);
  });

  it("earns a full burst back after a quiet while, and never more", () => {
    const accounts = new HeavyTimeAccounts(0.5, 1_000);
    expect(accounts.book("a", 0, 2_000)).toBe(0); // 1,000 - 2,000 x 0.5 = 0 left
    expect(accounts.book("a", 10_000_000, 10_004_000)).toBe(2_000); // full 1,000 again, not 5,000,000: 1,000 in debt
  });

  it("keeps no account with a share of the whole place", () => {
    const accounts = new HeavyTimeAccounts(1, 0);
    expect(accounts.book("a", 0, 60_000)).toBe(0);
    expect(accounts.size).toBe(0);
  });

  it("forgets accounts that are full again once it holds many", () => {
    const accounts = new HeavyTimeAccounts(0.5, 100);
    for (let i = 0; i < 1_001; i++) accounts.book(`w${i}`, 0, 10);
    // Each is 5 short of full: none is forgotten yet.
    expect(accounts.size).toBe(1_001);
    accounts.book("late", 1_000_000, 1_000_010);
    expect(accounts.size).toBe(1);
  });
});
