import { describe, expect, it } from "vitest";
import { plainSecretBox } from "./secret-box.js";

describe("plainSecretBox", () => {
  it("says it does not encrypt", () => {
    expect(plainSecretBox.encrypted).toBe(false);
  });

  it.each(["a.jwt.token", "", "plain:looks-sealed", "ünïcödé ✓ 🔑"])("round-trips %j", (token) => {
    const sealed = plainSecretBox.seal(token);
    expect(sealed).toBe(`plain:${token}`);
    expect(plainSecretBox.open(sealed)).toBe(token);
  });

  it("opens a value that was stored before sealing existed as is", () => {
    expect(plainSecretBox.open("legacy-token")).toBe("legacy-token");
  });
});
