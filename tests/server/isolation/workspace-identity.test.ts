/**
 * One workspace, one tenant identity. A UUID may be written in capitals, but
 * the tenant it names must be the same everywhere the tenant keys something
 * outside the database (rate budgets, cache entries): otherwise re-spelling
 * the header buys a fresh budget, or reads a cache that writes never clear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type ApiClient, type TestServer } from "../../support/server.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** The company's owner, naming the workspace with its id in capitals. */
const shouting = (company: Company): ApiClient =>
  server.client({ token: company.owner.token, workspaceId: company.workspaceId.toUpperCase() });

describe("a workspace id written in capitals", () => {
  it("names the same workspace", async () => {
    const acme = await createCompany(server, "Acme");
    expect(await shouting(acme).workspace.get.query()).toMatchObject({ id: acme.workspaceId, myRole: "OWNER" });
  });

  it("spends the same rate budget", async () => {
    const acme = await createCompany(server, "Acme");
    const budget = 10;
    await acme.owner.api.workspace.update.mutate({ userRateLimitPerMinute: budget });
    for (let i = 1; i < budget; i++) await acme.owner.api.workspace.get.query();
    expect(await errorCodeOf(acme.owner.api.workspace.get.query())).toBeNull();
    expect(await errorCodeOf(acme.owner.api.workspace.get.query())).toBe("TOO_MANY_REQUESTS");
    expect(await errorCodeOf(shouting(acme).workspace.get.query())).toBe("TOO_MANY_REQUESTS");
  });

  it("reads the same cache, so a write under one spelling is seen under the other", async () => {
    const acme = await createCompany(server, "Acme");
    const project = await acme.owner.api.projects.create.mutate({ name: "Site" });
    expect(await shouting(acme).projects.totals.query()).toEqual([]);
    await acme.owner.api.entries.create.mutate({
      projectId: project.id,
      start: new Date("2025-01-06T09:00:00Z"),
      end: new Date("2025-01-06T10:00:00Z"),
    });
    expect(await shouting(acme).projects.totals.query()).toEqual([{ projectId: project.id, seconds: 3600, entries: 1 }]);
  });
});
