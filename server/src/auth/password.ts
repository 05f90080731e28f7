import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Passwords are hashed with scrypt, a memory-hard KDF built into Node
 * (no native addon to build). "standard" follows OWASP's scrypt guidance
 * (N=2^17, r=8, p=1: 128 MiB per hash); "low" exists for tests only.
 */
const COSTS = {
  standard: { N: 2 ** 17, r: 8, p: 1 },
  low: { N: 2 ** 12, r: 8, p: 1 },
} as const;
export type PasswordCost = keyof typeof COSTS;

const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * (opts.N ?? 1) * (opts.r ?? 8) + 16 * 1024 * 1024;
    scryptCb(password.normalize("NFKC"), salt, KEY_LENGTH, { ...opts, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: PasswordCost = "standard"): Promise<string> {
  const { N, r, p } = COSTS[cost];
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4]!, "base64url");
  const expected = Buffer.from(parts[5]!, "base64url");
  const actual = await scrypt(password, salt, { N: N!, r: r!, p: p! });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Burns the same time as a real check, so unknown emails cannot be told apart by timing. */
export async function dummyVerify(cost: PasswordCost): Promise<void> {
  const { N, r, p } = COSTS[cost];
  await scrypt("not-a-password", Buffer.alloc(16), { N, r, p });
}
