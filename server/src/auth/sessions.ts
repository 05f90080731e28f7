import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client.js";
import { hashSecret, newSecret } from "./tokens.js";

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
}

/** Sessions are global (a user, not a tenant): the token is returned once and stored hashed. */
export async function createSession(
  prisma: PrismaClient,
  userId: string,
  ttlHours: number,
  userAgent: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret("hs");
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await prisma.session.create({
    data: { id: randomUUID(), userId, tokenHash: hashSecret(token), expiresAt, userAgent },
  });
  return { token, expiresAt };
}

const TOUCH_EVERY_MS = 60_000;

/**
 * The live session behind a token, or null when unknown, revoked or expired.
 * One statement (every request runs it): the session and its user joined.
 */
export async function resolveSession(prisma: PrismaClient, token: string): Promise<SessionUser | null> {
  const rows = await prisma.$queryRaw<
    { id: string; revokedAt: Date | null; expiresAt: Date; lastUsedAt: Date; userId: string; email: string; name: string }[]
  >`
    SELECT s.id::text AS id, s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt", s.last_used_at AS "lastUsedAt",
           u.id::text AS "userId", u.email, u.name
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ${hashSecret(token)}`;
  const session = rows[0];
  const now = Date.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now) return null;
  if (now - session.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.session.update({ where: { id: session.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { sessionId: session.id, userId: session.userId, email: session.email, name: session.name };
}

export async function revokeSession(prisma: PrismaClient, sessionId: string): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeAllSessions(prisma: PrismaClient, userId: string): Promise<number> {
  const { count } = await prisma.session.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count;
}
