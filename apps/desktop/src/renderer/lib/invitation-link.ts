/**
 * An invitation travels as a link the admin copies: the app's scheme, the server's address and
 * the token the server minted ("<workspace id>.<secret>"). The sign-in screen takes the link or
 * the bare token.
 */
const SCHEME = "hoursync:";

export function invitationLink(serverUrl: string, token: string): string {
  return `${SCHEME}//invite?server=${encodeURIComponent(serverUrl)}&token=${encodeURIComponent(token)}`;
}

export interface ParsedInvitation {
  token: string;
  /** The server the invitation came from, when the link names one. */
  serverUrl: string | null;
}

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{10,190}$/i;

/** The token (and server) of a pasted link or token; null when it is neither. */
export function parseInvitation(pasted: string): ParsedInvitation | null {
  const text = pasted.trim();
  if (TOKEN.test(text)) return { token: text, serverUrl: null };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const token = url.searchParams.get("token")?.trim() ?? "";
  if (!TOKEN.test(token)) return null;
  const server = url.searchParams.get("server");
  return { token, serverUrl: server && /^https?:\/\//.test(server) ? server : null };
}
