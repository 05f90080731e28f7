import type { HashingGate } from "./hashing-gate.js";
import { dummyVerify, hashPassword, verifyPassword, type PasswordCost } from "./password.js";

/** Password hashing for requests: at the configured cost, through the process's hashing gate. */
export class Passwords {
  constructor(
    readonly cost: PasswordCost,
    private readonly gate: HashingGate,
  ) {}

  /** Hashes a new password (sign-up): at most all but one of the gate's places. */
  hashNew(password: string): Promise<string> {
    return this.gate.hashNew(() => hashPassword(password, this.cost));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.gate.check(() => verifyPassword(password, stored));
  }

  /** Burns the time of a real check, so an unknown email cannot be told from a wrong password. */
  async verifyNobody(): Promise<false> {
    await this.gate.check(() => dummyVerify(this.cost));
    return false;
  }
}
