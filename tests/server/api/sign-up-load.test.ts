import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFrom, fetchFrom, freshLoopbackIp, uniqueEmail } from "../../support/api.js";
import { createCompany, TEST_PASSWORD, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

/**
 * Sign-ups are the one thing anyone may do without an account, and each
 * costs a password hash: they are limited per address, and their hashing is
 * bounded so that another company's log-in keeps its latency under a burst.
 * At the standard (production) password cost, on both databases.
 */
const PER_IP = 2;
/** Sign-ups that may wait for a hashing place; the rest of a burst is told to retry at once. */
const QUEUE = 3;

let server: TestServer;
let calm: Company;

beforeAll(async () => {
  server = await startTestServer({
    env: { PASSWORD_COST: "standard", SIGNUP_MAX_PER_IP_PER_HOUR: String(PER_IP), PASSWORD_HASH_QUEUE: String(QUEUE) },
  });
  calm = await createCompany(server, "Calm");
}, 60_000);
afterAll(async () => {
  await server.close();
});

const signUpFrom = (ip: string, label = "newcomer") =>
  clientFrom(server.url, ip).auth.signUp.mutate({ email: uniqueEmail(label), password: TEST_PASSWORD, name: label, workspaceName: label });

/** Milliseconds one log-in of Calm's owner takes, from the address they always use. */
async function calmLogIn(): Promise<number> {
  const started = performance.now();
  await server.client().auth.logIn.mutate({ email: calm.owner.email, password: TEST_PASSWORD });
  return performance.now() - started;
}

describe("sign-up throttling", () => {
  it("limits sign-ups per address (429 with Retry-After), however fast they come, and not other addresses", { timeout: 60_000 }, async () => {
    const ip = freshLoopbackIp();
    const codes = await Promise.all(Array.from({ length: 6 }, () => errorCodeOf(signUpFrom(ip))));
    expect(codes.filter((c) => c === null)).toHaveLength(PER_IP);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(6 - PER_IP);
    const raw = await fetchFrom(ip)(`${server.url}/trpc/auth.signUp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: uniqueEmail("late"), password: TEST_PASSWORD, name: "Late", workspaceName: "Late" } }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    expect(await signUpFrom(freshLoopbackIp())).toMatchObject({ status: "CONFIRMATION_SENT" });
  });
});

describe("password hashing under a burst of sign-ups", () => {
  it("keeps another company's log-in at its usual latency while 8 sign-ups hash at once", { timeout: 90_000 }, async () => {
    const usual = (await calmLogIn()) / 2 + (await calmLogIn()) / 2;

    // Eight sign-ups at once, each from its own address (so the address limit is not what holds them back).
    const burst = Array.from({ length: 8 }, (_, i) => errorCodeOf(signUpFrom(freshLoopbackIp(), `burst${i}`)));
    await new Promise((r) => setTimeout(r, 50));
    const during = [await calmLogIn(), await calmLogIn()];
    const codes = await Promise.all(burst);

    // One hashes, QUEUE wait their turn, the rest are told at once to retry.
    expect(codes.filter((c) => c === null), String(codes)).toHaveLength(1 + QUEUE);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(8 - 1 - QUEUE);
    const worst = Math.max(...during);
    expect(worst, `log-in took ${during.map(Math.round).join(", ")} ms during the burst, ${Math.round(usual)} ms before`).toBeLessThan(
      Math.max(3 * usual, usual + 1_000),
    );
  });
});
