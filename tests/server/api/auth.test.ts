import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../server/src/auth/password.js";
import { withTenant } from "../../../server/src/db/tenant.js";
import { clientFrom, freshLoopbackIp, rawCall, uniqueEmail } from "../../support/api.js";
import { createCompany, TEST_PASSWORD } from "../../support/people.js";
import { errorCodeOf, rejectionOf, startTestServer, type TestServer } from "../../support/server.js";

/** Low login limits, so throttling is quick to reach. Throttling tests call from their own loopback IPs. */
const MAX_PER_ACCOUNT = 3;
const MAX_PER_IP = 7;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { LOGIN_MAX_FAILS_PER_ACCOUNT: String(MAX_PER_ACCOUNT), LOGIN_MAX_FAILS_PER_IP: String(MAX_PER_IP) },
  });
});
afterAll(async () => {
  await server.close();
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function signUp(label: string) {
  const email = uniqueEmail(label);
  const res = await server.client().auth.signUp.mutate({ email, password: TEST_PASSWORD, name: label, workspaceName: `${label} works` });
  return { ...res, email };
}

describe("sign up", () => {
  it("creates a workspace owned by the new user and lists it in auth.workspaces", async () => {
    const res = await signUp("founder");
    const api = server.client({ token: res.token, workspaceId: res.workspaceId });
    expect(await api.auth.me.query()).toEqual({ id: res.user.id, email: res.email, name: "founder" });
    expect(await api.auth.workspaces.query()).toEqual([{ workspaceId: res.workspaceId, name: "founder works", role: "OWNER" }]);
    const ws = await api.workspace.get.query();
    expect(ws).toMatchObject({ id: res.workspaceId, name: "founder works", myRole: "OWNER" });
  });

  it("refuses a second account for the same email (in any case) with CONFLICT and keeps one user", async () => {
    const first = await signUp("twice");
    const again = server.client().auth.signUp.mutate({
      email: first.email.toUpperCase(),
      password: "another password 123",
      name: "Impostor",
      workspaceName: "Other",
    });
    expect(await errorCodeOf(again)).toBe("CONFLICT");
    const users = await server.services.db.prisma.user.findMany({ where: { email: first.email } });
    expect(users.map((u) => u.name)).toEqual(["twice"]);
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
  /** Each test calls from its own loopback address, so IP counters never carry over between tests. */
  function fromIp(ip = freshLoopbackIp()) {
    return (email: string, password: string) => clientFrom(server.url, ip).auth.logIn.mutate({ email, password });
  }

  it("blocks an account after LOGIN_MAX_FAILS_PER_ACCOUNT failures, even with the right password", async () => {
    const logIn = fromIp();
    const { email } = await signUp("victim");
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) {
      expect(await errorCodeOf(logIn(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    }
    const blocked = await rejectionOf(logIn(email, TEST_PASSWORD));
    expect(blocked.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(blocked.data?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await errorCodeOf(logIn(email.toUpperCase(), TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    // The block is on the account, not only on the address the guesses came from.
    expect(await errorCodeOf(fromIp()(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
    const raw = await rawCall(server.url, "auth.logIn", { type: "mutation", input: { email, password: TEST_PASSWORD } });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("parallel guesses cannot get more password checks than the limit", async () => {
    const { email } = await signUp("stampede");
    // Each guess from its own address, so only the account limit applies.
    const guesses = Array.from({ length: 20 }, (_, i) => errorCodeOf(fromIp()(email, `parallel guess ${i}`)));
    const codes = await Promise.all(guesses);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(MAX_PER_ACCOUNT);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(20 - MAX_PER_ACCOUNT);
    expect(await errorCodeOf(fromIp()(email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");
  });

  it("a success before the limit clears the account's failures", async () => {
    const logIn = fromIp();
    const { email } = await signUp("forgetful");
    for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) await errorCodeOf(logIn(email, "bad guess 123"));
    await logIn(email, TEST_PASSWORD);
    for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) {
      expect(await errorCodeOf(logIn(email, "bad guess 123"))).toBe("UNAUTHORIZED");
    }
    expect((await logIn(email, TEST_PASSWORD)).user.email).toBe(email);
  });

  it("does not block other accounts from the same IP until LOGIN_MAX_FAILS_PER_IP failures", async () => {
    const logIn = fromIp();
    const victim = await signUp("victim");
    const neighbour = await signUp("neighbour");
    const third = await signUp("third");
    for (let i = 0; i < MAX_PER_ACCOUNT; i++) await errorCodeOf(logIn(victim.email, "bad guess 123"));
    expect(await errorCodeOf(logIn(victim.email, TEST_PASSWORD))).toBe("TOO_MANY_REQUESTS");

    // The IP has MAX_PER_ACCOUNT failures: the neighbour still logs in, and others may fail up to the IP limit.
    expect((await logIn(neighbour.email, TEST_PASSWORD)).user.email).toBe(neighbour.email);
    const remaining = MAX_PER_IP - MAX_PER_ACCOUNT;
    for (let i = 0; i < remaining; i++) {
      const who = i % 2 === 0 ? neighbour.email : uniqueEmail("ghost");
      expect(await errorCodeOf(logIn(who, "bad guess 123"))).toBe("UNAUTHORIZED");
      if (i < remaining - 1) expect((await logIn(third.email, TEST_PASSWORD)).user.email).toBe(third.email);
    }
    const blocked = await rejectionOf(logIn(third.email, TEST_PASSWORD));
    expect(blocked.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(blocked.data?.retryAfterSeconds).toBeGreaterThan(0);
    // Only that address is blocked: the same account logs in from elsewhere.
    expect((await fromIp()(third.email, TEST_PASSWORD)).user.email).toBe(third.email);
  });
});
