import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("the server's address in a browser", () => {
  it("shows what this server is, its version and how to connect the desktop app (not a JSON 404)", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Hoursync server");
    expect(html).toMatch(/version \d+\.\d+\.\d+/);
    expect(html).toContain(server.url.replace("http://", ""));
    expect(html).toContain("Connect the desktop app");
  });

  it("still answers unknown paths with a 404", async () => {
    expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
  });
});
