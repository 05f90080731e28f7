import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../server/src/auth/password.js";
import { withTenant } from "../../../server/src/db/tenant.js";
import superjson from "superjson";
import { clientFrom, fetchFrom, freshLoopbackIp, rawCall, uniqueEmail } from "../../support/api.js";
import { createCompany, signUpConfirmed, TEST_PASSWORD } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

/** Low log-in limits, so throttling is quick to reach. Throttling tests call from their own loopback IPs. */
const FREE_FAILS = 2;
const MAX_ACCOUNTS_PER_IP = 4;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: {
      LOGIN_FREE_FAILS_PER_ACCOUNT: String(FREE_FAILS),
      LOGIN_MAX_DELAY_SECONDS: "4",
      LOGIN_MAX_ACCOUNTS_PER_IP: String(MAX_ACCOUNTS_PER_IP),
    },
  });
});
afterAll(async () => {
  await server.close();
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A confirmed sign-up with a workspace of its own. */
async function signUp(label: string) {
  const email = uniqueEmail(label);
  const res = await signUpConfirmed(server, { email, password: TEST_PASSWORD, name: label, workspaceName: `${label} works` });
  return { ...res, email };
}

describe("sign up", () => {
  it("creates, once the address is confirmed, a workspace owned by the new user and lists it in auth.workspaces", async () => {
    const res = await signUp("founder");
    const api = server.client({ token: res.token, workspaceId: res.workspaceId });
    expect(await api.auth.me.query()).toEqual({ id: res.user.id, email: res.email, name: "founder" });
    expect(await api.auth.workspaces.query()).toEqual([{ workspaceId: res.workspaceId, name: "founder works", role: "OWNER" }]);
    const ws = await api.workspace.get.query();
    expect(ws).toMatchObject({ id: res.workspaceId, name: "founder works", myRole: "OWNER" });
  });

  it("answers the same whether or not the address has an account; only the mail to that address differs", async () => {
    const existing = await signUp("taken");
    const fresh = uniqueEmail("fresh");
    const ask = (email: string) =>
      rawCall(server.url, "auth.signUp", { type: "mutation", input: { email, password: "another password 123", name: "Impostor", workspaceName: "Other" } });
    const forExisting = await ask(existing.email.toUpperCase());
    const forFresh = await ask(fresh);
    expect([forExisting.status, forFresh.status]).toEqual([200, 200]);
    expect(forExisting.text.replace(existing.email, "<address>")).toBe(forFresh.text.replace(fresh, "<address>"));

    // Nothing of the account changed: one user, its name and password as before.
    const users = await server.services.db.prisma.user.findMany({ where: { email: existing.email } });
    expect(users.map((u) => u.name)).toEqual(["taken"]);
    expect(await errorCodeOf(server.client().auth.logIn.mutate({ email: existing.email, password: "another password 123" }))).toBe("UNAUTHORIZED");
    expect((await server.client().auth.logIn.mutate({ email: existing.email, password: TEST_PASSWORD })).user.id).toBe(existing.user.id);

    // The owner of the address is told, with no code; the new address gets a code and no account until it is used.
    const told = server.mailbox.to(existing.email).at(-1)!;
    expect(told.subject).toMatch(/already have an account/);
    expect(server.mailbox.codesFor(existing.email)).toHaveLength(1); // the one of its own sign-up
    expect(server.mailbox.codesFor(fresh)).toHaveLength(1);
    expect(await errorCodeOf(server.client().auth.logIn.mutate({ email: fresh, password: "another password 123" }))).toBe("UNAUTHORIZED");
    expect(await server.services.db.prisma.user.count({ where: { email: fresh } })).toBe(0);
  });

  it("turns one code into one account; the address's other pending sign-ups are void after it", async () => {
    const email = uniqueEmail("twice");
    for (const password of ["first password 123", "second password 123"]) {
      await server.client().auth.signUp.mutate({ email, password, name: "Twice", workspaceName: "Twice" });
    }
    const [first, second] = server.mailbox.codesFor(email);
    const made = await server.client().auth.confirmSignUp.mutate({ code: second! });
    expect(made.user.email).toBe(email);
    expect((await server.client().auth.logIn.mutate({ email, password: "second password 123" })).user.id).toBe(made.user.id);
    expect(await errorCodeOf(server.client().auth.confirmSignUp.mutate({ code: first! }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(server.client().auth.confirmSignUp.mutate({ code: second! }))).toBe("NOT_FOUND");
    expect(await server.services.db.prisma.user.count({ where: { email } })).toBe(1);
  });

  it("refuses an expired code and keeps only the code's hash", async () => {
    const email = uniqueEmail("late");
    await server.client().auth.signUp.mutate({ email, password: TEST_PASSWORD, name: "Late", workspaceName: "Late" });
    const code = server.mailbox.codeFor(email);
    const stored = await server.services.db.prisma.signUpRequest.findMany({ where: { email } });
    expect(stored.map((r) => r.codeHash)).toEqual([sha256(code)]);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(TEST_PASSWORD);
    await server.services.db.prisma.signUpRequest.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await errorCodeOf(server.client().auth.confirmSignUp.mutate({ code }))).toBe("NOT_FOUND");
    expect(await server.services.db.prisma.user.count({ where: { email } })).toBe(0);
  });

  it("stores passwords as salted scrypt hashes, never in clear", async () => {
    const a = await signUp("hash-a");
    const b = await signUp("hash-b");
    const users = await server.services.db.prisma.user.findMany({ where: { email: { in: [a.email, b.email] } } });
    expect(users).toHaveLength(2);
    for (const u of users) {
      expect(u.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
      expect(u.passwordHash).not.toContain(TEST_PASSWORD);
      expect(await verifyPassword(TEST_PASSWORD, u.passwordHash)).toBe(true);
      expect(await verifyPassword("not the password", u.passwordHash)).toBe(false);
    }
    // Same password, different salt: different hashes.
    expect(users[0]!.passwordHash).not.toBe(users[1]!.passwordHash);
  });
});

describe("log in and sessions", () => {
  it("logs in with the right password (email case does not matter) and the token works", async () => {
    const { email, user } = await signUp("login");
    const res = await server.client().auth.logIn.mutate({ email: email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.user).toEqual({ id: user.id, email, name: "login" });
    expect(res.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect((await server.client({ token: res.token }).auth.me.query()).id).toBe(user.id);
  });

  it("answers a wrong password and an unknown email alike: UNAUTHORIZED with the same message", async () => {
    const { email } = await signUp("guess");
    const wrong = await rejectionOf(server.client().auth.logIn.mutate({ email, password: "wrong password!" }));
    const unknown = await rejectionOf(server.client().auth.logIn.mutate({ email: uniqueEmail("nobody"), password: "wrong password!" }));
    expect(wrong.data?.code).toBe("UNAUTHORIZED");
    expect(unknown.data?.code).toBe("UNAUTHORIZED");
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.message).not.toMatch(/password is wrong|no such|not found|unknown/i);
  });

  it("stores session tokens only as hashes", async () => {
    const signedUp = await signUp("tokens");
    const loggedIn = await server.client().auth.logIn.mutate({ email: signedUp.email, password: TEST_PASSWORD });
    const rows = await server.services.db.prisma.session.findMany({ where: { userId: signedUp.user.id } });
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    for (const token of [signedUp.token, loggedIn.token]) {
      expect(stored).not.toContain(token);
      expect(rows.some((r) => r.tokenHash === sha256(token))).toBe(true);
    }
  });

  it("log out revokes that token only", async () => {
    const { email, token } = await signUp("logout");
    const other = await server.client().auth.logIn.mutate({ email, password: TEST_PASSWORD });
    const api = server.client({ token });
    expect(await api.auth.logOut.mutate()).toEqual({ ok: true });
    expect(await errorCodeOf(api.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await errorCodeOf(api.auth.logOut.mutate())).toBe("UNAUTHORIZED");
    expect((await server.client({ token: other.token }).auth.me.query()).email).toBe(email);
  });

  it("logOutEverywhere revokes every session of the user and no one else's", async () => {
    const me = await signUp("everywhere");
    const bystander = await signUp("bystander");
    const second = await server.client().auth.logIn.mutate({ email: me.email, password: TEST_PASSWORD });
    expect(await server.client({ token: second.token }).auth.logOutEverywhere.mutate()).toEqual({ revoked: 2 });
    for (const token of [me.token, second.token]) {
      expect(await errorCodeOf(server.client({ token, workspaceId: me.workspaceId }).workspace.get.query())).toBe("UNAUTHORIZED");
    }
    expect((await server.client({ token: bystander.token }).auth.me.query()).email).toBe(bystander.email);
    const fresh = await server.client().auth.logIn.mutate({ email: me.email, password: TEST_PASSWORD });
    expect((await server.client({ token: fresh.token }).auth.me.query()).email).toBe(me.email);
  });

  it("gives sessions the configured lifetime and rejects them once expired", async () => {
    const before = Date.now();
    const { token, expiresAt, workspaceId } = await signUp("expiry");
    const ttlMs = server.services.sessionTtlHours * 3_600_000;
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + ttlMs);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + ttlMs);
    const api = server.client({ token, workspaceId });
    await api.workspace.get.query();
    const { count } = await server.services.db.prisma.session.updateMany({
      where: { tokenHash: sha256(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(count).toBe(1);
    expect(await errorCodeOf(api.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await errorCodeOf(api.workspace.get.query())).toBe("UNAUTHORIZED");
  });
});

describe("invitations", () => {
  it("lets an existing user accept an invitation into a second workspace, once", async () => {
    const acme = await createCompany(server, "Acme");
    const joiner = await createCompany(server, "Joiner");
    const inAcme = server.client({ token: joiner.owner.token, workspaceId: acme.workspaceId });
    expect(await errorCodeOf(inAcme.workspace.get.query())).toBe("NOT_FOUND");

    const inv = await acme.owner.api.members.invite.mutate({ email: joiner.owner.email, role: "MANAGER" });
    expect(await joiner.owner.api.auth.acceptInvitation.mutate({ token: inv.token })).toEqual({ workspaceId: acme.workspaceId });

    expect((await inAcme.workspace.get.query()).myRole).toBe("MANAGER");
    const mine = await joiner.owner.api.auth.workspaces.query();
    expect(mine.map((w) => [w.workspaceId, w.role]).sort()).toEqual(
      [[acme.workspaceId, "MANAGER"], [joiner.workspaceId, "OWNER"]].sort(),
    );
    expect(await acme.owner.api.members.invitations.query()).toEqual([]);
    expect(await errorCodeOf(joiner.owner.api.auth.acceptInvitation.mutate({ token: inv.token }))).toBe("NOT_FOUND");
  });

  it("refuses an invitation made out to another email, for existing and new users", async () => {
    const acme = await createCompany(server, "Acme");
    const outsider = await createCompany(server, "Outsider");
    const inv = await acme.owner.api.members.invite.mutate({ email: uniqueEmail("intended"), role: "ADMIN" });

    expect(await errorCodeOf(outsider.owner.api.auth.acceptInvitation.mutate({ token: inv.token }))).toBe("NOT_FOUND");
    const stranger = uniqueEmail("stranger");
    const signUp = server.client().auth.signUp.mutate({ email: stranger, password: TEST_PASSWORD, name: "S", invitationToken: inv.token });
    expect(await errorCodeOf(signUp)).toBe("NOT_FOUND");

    // Nobody joined, the invitation is still open, and the refused sign-up left no account behind.
    expect((await acme.owner.api.members.list.query()).map((m) => m.email)).toEqual([acme.owner.email]);
    expect((await acme.owner.api.members.invitations.query()).map((i) => i.id)).toEqual([inv.invitationId]);
    expect((await outsider.owner.api.auth.workspaces.query()).map((w) => w.workspaceId)).toEqual([outsider.workspaceId]);
    expect(await server.services.db.prisma.user.count({ where: { email: stranger } })).toBe(0);
  });
  it("refuses revoked and expired invitations", async () => {
    const acme = await createCompany(server, "Acme");
    const joiner = await createCompany(server, "Joiner");
    const revoked = await acme.owner.api.members.invite.mutate({ email: joiner.owner.email, role: "EMPLOYEE" });
    await acme.owner.api.members.revokeInvitation.mutate({ id: revoked.invitationId });
    expect(await errorCodeOf(joiner.owner.api.auth.acceptInvitation.mutate({ token: revoked.token }))).toBe("NOT_FOUND");

    const expiring = await acme.owner.api.members.invite.mutate({ email: joiner.owner.email, role: "EMPLOYEE" });
    await withTenant(server.services.db.prisma, acme.workspaceId, (db) =>
      db.invitation.updateMany({ where: { id: expiring.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } }),
    );
    expect(await errorCodeOf(joiner.owner.api.auth.acceptInvitation.mutate({ token: expiring.token }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(joiner.owner.api.auth.acceptInvitation.mutate({ token: "not-a-real-invitation-token" }))).toBe("NOT_FOUND");
    expect((await acme.owner.api.members.list.query()).map((m) => m.userId)).toEqual([acme.owner.userId]);
  });
});

describe("login throttling", () => {
  /** Each test calls from its own loopback addresses, so address counters never carry over between tests. */
  function fromIp(ip = freshLoopbackIp()) {
    return (email: string, password: string) => clientFrom(server.url, ip).auth.logIn.mutate({ email, password });
  }
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("makes each attempt after the free failures wait longer (429 with Retry-After), never locking the account", async () => {
    const { email } = await signUp("guessed");
    const attackerIp = freshLoopbackIp();
    const attacker = fromIp(attackerIp);
    for (let i = 0; i < FREE_FAILS; i++) expect(await errorCodeOf(attacker(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    // The first guess past the free ones is checked, and the next one has to wait 1 s.
    expect(await errorCodeOf(attacker(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    const first = await rejectionOf(attacker(email, "bad guess 123"));
    expect([first.data?.code, first.data?.retryAfterSeconds]).toEqual(["TOO_MANY_REQUESTS", 1]);
    // Over raw HTTP: 429 with a Retry-After header.
    const raw = await fetchFrom(attackerIp)(`${server.url}/trpc/auth.logIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize({ email, password: TEST_PASSWORD })),
    });
    expect([raw.status, raw.headers.get("retry-after")]).toEqual([429, "1"]);
    await wait(1_100);
    expect(await errorCodeOf(attacker(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    const second = await rejectionOf(attacker(email, "bad guess 123"));
    expect([second.data?.code, second.data?.retryAfterSeconds]).toEqual(["TOO_MANY_REQUESTS", 2]);
    // The right password from a new address waits like anyone else, then gets in: a delay, not a lock.
    expect(await errorCodeOf(fromIp()(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    await wait(2_100);
    expect((await fromIp()(email, TEST_PASSWORD)).user.email).toBe(email);
  });

  it("never delays the right password from an address that has signed in to the account before", async () => {
    const { email } = await signUp("owner");
    const ownLaptop = fromIp();
    await ownLaptop(email, TEST_PASSWORD);
    const attacker = fromIp();
    for (let i = 0; i < FREE_FAILS + 1; i++) await errorCodeOf(attacker(email, "bad guess 123"));
    expect(await errorCodeOf(attacker(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    expect(await errorCodeOf(fromIp()(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    // The owner's laptop is counted apart: the stranger's failures do not touch it.
    expect((await ownLaptop(email, TEST_PASSWORD)).user.email).toBe(email);
    expect((await ownLaptop(email, TEST_PASSWORD)).user.email).toBe(email);
    // Its own failures still count, on its own.
    for (let i = 0; i < FREE_FAILS + 1; i++) expect(await errorCodeOf(ownLaptop(email, "my own typo 123"))).toBe("UNAUTHORIZED");
    expect(await errorCodeOf(ownLaptop(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
  });

  it("gives parallel guesses no more password checks than sequential ones", async () => {
    const { email } = await signUp("stampede");
    // Each guess from its own address, so only the account's count applies.
    const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => errorCodeOf(fromIp()(email, `parallel guess ${i}`))));
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(FREE_FAILS + 1);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(12 - FREE_FAILS - 1);
  });

  it("clears an address's failures when the right password comes from it", async () => {
    const logIn = fromIp();
    const { email } = await signUp("forgetful");
    for (let i = 0; i < FREE_FAILS; i++) await errorCodeOf(logIn(email, "bad guess 123"));
    await logIn(email, TEST_PASSWORD);
    for (let i = 0; i < FREE_FAILS; i++) expect(await errorCodeOf(logIn(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    expect((await logIn(email, TEST_PASSWORD)).user.email).toBe(email);
  });

  it("blocks an address that fails on many accounts (credential stuffing), not one whose people mistype, and never for accounts it knows", async () => {
    const office = freshLoopbackIp();
    const logIn = fromIp(office);
    const colleague = await signUp("colleague");
    const typist = await signUp("typist");
    const victim = await signUp("victim");
    await logIn(colleague.email, TEST_PASSWORD);
    // Many failures on one account count once against the address (and only delay that account).
    for (let i = 0; i < FREE_FAILS + 1; i++) await errorCodeOf(logIn(typist.email, "typo 123"));
    for (let i = 0; i < MAX_ACCOUNTS_PER_IP - 1; i++) expect(await errorCodeOf(logIn(uniqueEmail("stuffed"), "leaked 123"))).toBe("UNAUTHORIZED");
    // That is MAX_ACCOUNTS_PER_IP accounts: one more, and the address is blocked.
    const blocked = await rejectionOf(logIn(uniqueEmail("stuffed"), "leaked 123"));
    expect(blocked.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(blocked.data?.retryAfterSeconds).toBeGreaterThan(60);
    expect(await errorCodeOf(logIn(victim.email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    // The account that has signed in from there before still does; the victim does from anywhere else.
    expect((await logIn(colleague.email, TEST_PASSWORD)).user.email).toBe(colleague.email);
    expect((await fromIp()(victim.email, TEST_PASSWORD)).user.email).toBe(victim.email);
  });
});
