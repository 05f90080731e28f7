import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../../support/api.js";
import { createCompany, type Company } from "../../support/people.js";
import { errorCodeOf, startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let acme: Company;
beforeAll(async () => {
  server = await startTestServer({ env: { USER_RATE_LIMIT_PER_MINUTE: "100000" } });
  acme = await createCompany(server, "Acme");
  await acme.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
});
afterAll(async () => {
  await server.close();
});

function put(id: string, day: string, hour: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    start: at(day, hour).toISOString(),
    end: at(day, hour + 1).toISOString(),
    description: `work ${hour}`,
    ...extra,
  };
}

async function device(api = acme.owner.api) {
  const clientId = randomUUID();
  await api.sync.registerClient.mutate({ clientId, name: "laptop" });
  let next = 1;
  return {
    clientId,
    push: (...ms: { name: string; args: unknown }[]) =>
      api.sync.push.mutate({ clientId, mutations: ms.map((m) => ({ mutationId: next++, ...m })) }),
    pushRaw: (mutations: { mutationId: number; name: string; args: unknown }[]) => api.sync.push.mutate({ clientId, mutations }),
  };
}

async function pullAll(api = acme.owner.api, cursor = 0) {
  const entries = new Map<string, { description: string }>();
  const deleted = new Set<string>();
  let pages = 0;
  for (;;) {
    const page = await api.sync.pull.query({ cursor, limit: 3 });
    pages++;
    for (const e of page.entries) {
      entries.set(e.id, e);
      deleted.delete(e.id);
    }
    for (const d of page.deletions) if (d.entity === "entry") {
      entries.delete(d.id);
      deleted.add(d.id);
    }
    expect(page.cursor).toBeGreaterThanOrEqual(cursor);
    cursor = page.cursor;
    if (!page.hasMore) return { entries, deleted, cursor, pages };
  }
}

describe("sync pull of a device's own writes", () => {
  it("leaves out entries the pulling device wrote itself until someone else changes them", async () => {
    const laptop = await device();
    const desktop = await device();
    const mine = randomUUID();
    await laptop.push({ name: "entry.put", args: put(mine, "2026-02-10", 9) });
    const start = (await pullAll()).cursor;
    const ownPull = await acme.owner.api.sync.pull.query({ cursor: 0, limit: 5000, clientId: laptop.clientId });
    expect(ownPull.entries.map((e) => e.id)).not.toContain(mine);
    const otherPull = await acme.owner.api.sync.pull.query({ cursor: 0, limit: 5000, clientId: desktop.clientId });
    expect(otherPull.entries.map((e) => e.id)).toContain(mine);

    // Changed through the API (or by another device): the laptop must hear of it.
    await acme.owner.api.entries.update.mutate({ id: mine, description: "edited on the web" });
    const after = await acme.owner.api.sync.pull.query({ cursor: start, limit: 5000, clientId: laptop.clientId });
    expect(after.entries.find((e) => e.id === mine)?.description).toBe("edited on the web");
    await desktop.push({ name: "entry.put", args: put(mine, "2026-02-10", 9, { description: "from the desktop" }) });
    const later = await acme.owner.api.sync.pull.query({ cursor: after.cursor, limit: 5000, clientId: laptop.clientId });
    expect(later.entries.find((e) => e.id === mine)?.description).toBe("from the desktop");
  });
});

describe("sync push", () => {
  it("applies puts and deletes in order and answers each mutation", async () => {
    const d = await device();
    const [a, b] = [randomUUID(), randomUUID()];
    const res = await d.push(
      { name: "entry.put", args: put(a, "2026-02-02", 9) },
      { name: "entry.put", args: put(b, "2026-02-02", 10) },
      { name: "entry.put", args: put(a, "2026-02-02", 9, { description: "renamed" }) },
      { name: "entry.delete", args: { id: b } },
    );
    expect(res.results.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);
    expect((await acme.owner.api.entries.get.query({ id: a })).description).toBe("renamed");
    expect(await errorCodeOf(acme.owner.api.entries.get.query({ id: b }))).toBe("NOT_FOUND");
  });

  it("answers a replayed batch from its record and writes nothing twice", async () => {
    const d = await device();
    const a = randomUUID();
    const overlapping = randomUUID();
    const batch = [
      { mutationId: 1, name: "entry.put", args: put(a, "2026-02-03", 9) },
      { mutationId: 2, name: "entry.put", args: { ...put(overlapping, "2026-02-03", 9), description: "clash" } },
    ];
    const first = await d.pushRaw(batch);
    const again = await d.pushRaw(batch);
    expect(again.results).toEqual(first.results);
    expect(first.results[1]).toMatchObject({ status: "rejected", reason: "CONFLICT" });
    const listed = await acme.owner.api.entries.list.query({ from: at("2026-02-03", 0), to: at("2026-02-04", 0) });
    expect(listed.items.map((e) => e.id)).toEqual([a]);
  });

  it("rejects one bad mutation with a typed reason and applies the rest", async () => {
    const d = await device();
    const good = randomUUID();
    const res = await d.push(
      { name: "entry.put", args: { id: "not-a-uuid", start: "yesterday" } },
      { name: "entry.put", args: put(good, "2026-02-04", 9) },
      { name: "entry.put", args: put(randomUUID(), "2026-02-04", 11, { projectId: randomUUID() }) },
      { name: "entry.launch", args: {} },
    );
    expect(res.results.map((r) => (r.status === "rejected" ? r.reason : r.status))).toEqual([
      "VALIDATION",
      "applied",
      "NOT_FOUND",
      "VALIDATION",
    ]);
    expect((await acme.owner.api.entries.get.query({ id: good })).id).toBe(good);
  });

  it("refuses to resurrect an entry deleted elsewhere", async () => {
    const d1 = await device();
    const d2 = await device();
    const id = randomUUID();
    await d1.push({ name: "entry.put", args: put(id, "2026-02-05", 9) });
    await d1.push({ name: "entry.delete", args: { id } });
    const late = await d2.push({ name: "entry.put", args: put(id, "2026-02-05", 9, { description: "edited offline" }) });
    expect(late.results[0]).toMatchObject({ status: "rejected", reason: "CONFLICT" });
    expect(await errorCodeOf(acme.owner.api.entries.get.query({ id }))).toBe("NOT_FOUND");
  });

  it("refuses a device of another user and an entry of another user", async () => {
    const employee = await acme.hire("EMPLOYEE");
    const mine = await device();
    const theirs = await device(employee.api);
    expect(await errorCodeOf(employee.api.sync.push.mutate({ clientId: mine.clientId, mutations: [{ mutationId: 1, name: "entry.delete", args: { id: randomUUID() } }] }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(employee.api.sync.registerClient.mutate({ clientId: mine.clientId, name: "stolen" }))).toBe("FORBIDDEN");
    const id = randomUUID();
    await mine.push({ name: "entry.put", args: put(id, "2026-02-06", 9) });
    const res = await theirs.push({ name: "entry.put", args: put(id, "2026-02-06", 9, { description: "mine now" }) });
    expect(res.results[0]).toMatchObject({ status: "rejected", reason: "FORBIDDEN" });
    expect((await acme.owner.api.entries.get.query({ id })).description).toBe("work 9");
  });

  it("needs increasing mutation ids and a registered device", async () => {
    const d = await device();
    const args = put(randomUUID(), "2026-02-07", 9);
    expect(
      await errorCodeOf(d.pushRaw([{ mutationId: 2, name: "entry.put", args }, { mutationId: 1, name: "entry.put", args }])),
    ).toBe("BAD_REQUEST");
    expect(
      await errorCodeOf(
        acme.owner.api.sync.push.mutate({ clientId: randomUUID(), mutations: [{ mutationId: 1, name: "entry.put", args }] }),
      ),
    ).toBe("NOT_FOUND");
  });
});

describe("sync pull", () => {
  it("pages through the user's own changes and deletions, never another user's entries", async () => {
    const company = await createCompany(server, "Pulls");
    await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const employee = await company.hire("EMPLOYEE");
    const project = await company.owner.api.projects.create.mutate({ name: "Pulled project" });
    const mine = await device(employee.api);
    const ids = Array.from({ length: 7 }, () => randomUUID());
    await mine.push(...ids.map((id, i) => ({ name: "entry.put", args: put(id, "2026-03-02", i + 1) })));
    await mine.push({ name: "entry.delete", args: { id: ids[0] } });
    const ownersEntry = await company.owner.api.entries.create.mutate({ start: at("2026-03-02", 9), end: at("2026-03-02", 10) });

    const pulled = await pullAll(employee.api);
    expect([...pulled.entries.keys()].sort()).toEqual(ids.slice(1).sort());
    expect(pulled.deleted.has(ids[0]!)).toBe(true);
    expect(pulled.entries.has(ownersEntry.id)).toBe(false);
    expect(pulled.pages).toBeGreaterThan(2);
    const catalog = await employee.api.sync.pull.query({ cursor: 0, limit: 1000 });
    expect(catalog.projects.map((p) => p.id)).toContain(project.id);

    const quiet = await employee.api.sync.pull.query({ cursor: pulled.cursor, limit: 10 });
    expect(quiet.entries).toEqual([]);
    expect(quiet.hasMore).toBe(false);

    await company.owner.api.projects.update.mutate({ id: project.id, name: "Renamed project" });
    const after = await employee.api.sync.pull.query({ cursor: pulled.cursor, limit: 10 });
    expect(after.projects.map((p) => p.name)).toEqual(["Renamed project"]);
  });

  it("numbers a pushed batch's writes so paged pulls return each change once, edits included", async () => {
    const company = await createCompany(server, "Numbered");
    await company.owner.api.workspace.update.mutate({ rateLimitPerMinute: 100_000, userRateLimitPerMinute: 100_000 });
    const employee = await company.hire("EMPLOYEE");
    const laptop = await device(employee.api);
    const first = Array.from({ length: 5 }, () => randomUUID());
    await laptop.push(...first.map((id, i) => ({ name: "entry.put", args: put(id, "2026-04-06", i + 1) })));
    // Pages of one: two changes sharing a number, or numbered below the cursor, would be skipped.
    const pageByPage = async (cursor: number) => {
      const seen: string[] = [];
      for (;;) {
        const page = await employee.api.sync.pull.query({ cursor, limit: 1 });
        seen.push(...page.entries.map((e) => `${e.id}:${e.description}`));
        cursor = page.cursor;
        if (!page.hasMore) return { seen, cursor };
      }
    };
    const before = await pageByPage(0);
    expect(before.seen.sort()).toEqual(first.map((id, i) => `${id}:work ${i + 1}`).sort());

    const added = Array.from({ length: 3 }, () => randomUUID());
    await laptop.push(
      { name: "entry.put", args: put(first[0]!, "2026-04-06", 1, { description: "edited on the laptop" }) },
      { name: "entry.put", args: put(first[3]!, "2026-04-06", 4, { description: "edited too" }) },
      ...added.map((id, i) => ({ name: "entry.put", args: put(id, "2026-04-07", i + 1) })),
    );
    const next = await pageByPage(before.cursor);
    expect(next.seen.sort()).toEqual(
      [`${first[0]}:edited on the laptop`, `${first[3]}:edited too`, ...added.map((id, i) => `${id}:work ${i + 1}`)].sort(),
    );

    // A write outside the sync (the API's, numbered by the trigger) still comes after the block.
    await employee.api.entries.update.mutate({ id: added[2]!, description: "edited in the browser" });
    expect((await pageByPage(next.cursor)).seen).toEqual([`${added[2]}:edited in the browser`]);
  });
});
