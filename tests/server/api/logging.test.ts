import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_HEADER } from "../../../server/src/trpc/context.js";
import { at } from "../../support/api.js";
import { upload } from "../../support/attachments.js";
import { pngBytes } from "../../../apps/desktop/src/core/testing/sample-files.js";
import { createCompany, TEST_PASSWORD, type Company } from "../../support/people.js";
import { startTestServer, type TestServer } from "../../support/server.js";

/**
 * The server's log: JSON lines, every line of a request naming the request, and its workspace and
 * user once they are known; never a password, a session token or an attachment's file name.
 */
const lines: Record<string, unknown>[] = [];
const raw: string[] = [];
let server: TestServer;
let acme: Company;

beforeAll(async () => {
  server = await startTestServer({
    env: { LOG_LEVEL: "info" },
    logDestination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  acme = await createCompany(server, "Acme");
});
afterAll(async () => {
  await server.close();
});

describe("the server's log", () => {
  it("names the request, workspace and user on every line of a request, and never logs secrets", async () => {
    const from = lines.length;
    const secretName = "Hotel Bellevue Zürich receipt.png";
    const entry = await acme.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10), description: "visit" });
    await upload(acme.owner.api, { entryId: entry.id, name: secretName }, pngBytes());
    // An invitation logs a line from inside the procedure.
    await acme.owner.api.members.invite.mutate({ email: "new.hire@example.test", role: "EMPLOYEE" });
    const res = await fetch(`${server.url}/trpc/auth.logIn`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "edge-42" },
      body: JSON.stringify({ json: { email: acme.owner.email, password: TEST_PASSWORD } }),
    });
    expect(res.headers.get("x-request-id")).toBe("edge-42");
    const signedIn = (await res.json()) as { result: { data: { json: { token: string } } } };
    const download = await fetch(`${server.url}/export/entries.csv?from=2026-03-01&to=2026-04-01`, {
      headers: { authorization: `Bearer ${acme.owner.token}`, [WORKSPACE_HEADER]: acme.workspaceId },
    });
    await download.text();

    const mine = lines.slice(from);
    expect(mine.length).toBeGreaterThan(5);
    for (const line of mine) {
      expect(line.requestId, JSON.stringify(line)).toEqual(expect.any(String));
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String) });
    }
    // Once the workspace admitted the caller, its lines say who and where.
    const invited = mine.find((l) => String(l.msg).startsWith("invitation created"));
    expect(invited).toMatchObject({ workspaceId: acme.workspaceId, userId: acme.owner.userId });
    const completed = mine.filter((l) => l.msg === "request completed");
    expect(completed.some((l) => l.workspaceId === acme.workspaceId && l.userId === acme.owner.userId)).toBe(true);
    // The proxy's id was kept.
    expect(mine.some((l) => l.requestId === "edge-42")).toBe(true);

    for (const line of raw.slice(-mine.length)) expect(line.match(/"requestId"/g), line).toHaveLength(1);
    // Streamed answers (the CSV export) are logged too, with who asked.
    expect(completed.some((l) => l.path === "/export/entries.csv" && l.userId === acme.owner.userId)).toBe(true);

    const text = raw.join("");
    for (const secret of [TEST_PASSWORD, acme.owner.token, signedIn.result.data.json.token, secretName, "Bellevue"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("is quiet below its level", async () => {
    const quiet = await startTestServer({ env: { LOG_LEVEL: "error" }, logDestination: { write: (l: string) => void raw.push(l) } });
    const before = raw.length;
    try {
      await fetch(`${quiet.url}/healthz`);
      expect(raw.length).toBe(before);
    } finally {
      await quiet.close();
    }
  });
});
