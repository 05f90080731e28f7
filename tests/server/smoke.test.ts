import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany } from "../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("smoke", () => {
  it("signs up, creates a project and an entry, and keeps it from another company", async () => {
    const a = await createCompany(server, "A");
    const b = await createCompany(server, "B");
    const project = await a.owner.api.projects.create.mutate({ name: "Site" });
    const entry = await a.owner.api.entries.create.mutate({
      projectId: project.id,
      start: new Date("2026-01-05T09:00:00Z"),
      end: new Date("2026-01-05T10:00:00Z"),
    });
    expect(entry.start).toBeInstanceOf(Date);
    expect(await errorCodeOf(b.owner.api.entries.get.query({ id: entry.id }))).toBe("NOT_FOUND");
    const emp = await a.hire("EMPLOYEE");
    expect((await emp.api.projects.list.query({})).items.map((p) => p.name)).toEqual(["Site"]);
  });
});
