/**
 * CSV exports through the core: the core fetches the server's export route with its session and
 * streams the file to where the person picked (Electron's save dialog) or, in a browser, to a
 * one-time download on its HTTP bridge. Real server, real core, real files.
 */
import { readFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { parse } from "csv-parse/sync";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_KEY_HEADER, startHttpBridge } from "../../apps/desktop/src/core/api/http-bridge.js";
import type { LocalRouter } from "../../apps/desktop/src/core/api/local-router.js";
import { at } from "../support/api.js";
import { createDevice, removeDeviceFiles, type Device } from "../support/device.js";
import { createCompany, TEST_PASSWORD, type Company, type Person } from "../support/people.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let acme: Company;
let ann: Person;
let bob: Person;
let offline = false;
const network: typeof fetch = (input, init) => (offline ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init));
const opened: { device: Device; bridge: Awaited<ReturnType<typeof startHttpBridge>> }[] = [];
let saveDir: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await createCompany(server, "Acme");
  ann = await acme.hire("EMPLOYEE", "ann");
  bob = await acme.hire("EMPLOYEE", "bob");
  const site = await acme.owner.api.projects.create.mutate({ name: "Site" });
  for (let day = 2; day <= 6; day++) {
    await ann.api.entries.create.mutate({ start: at(`2026-03-0${day}`, 9), end: at(`2026-03-0${day}`, 11), projectId: site.id, billable: true });
  }
  await bob.api.entries.create.mutate({ start: at("2026-03-03", 9), end: at("2026-03-03", 12) });
  saveDir = await mkdtemp(path.join(os.tmpdir(), "hoursync-saved-"));
});
afterAll(async () => {
  for (const { device, bridge } of opened) {
    await bridge.app.close();
    device.close();
    removeDeviceFiles(device);
  }
  await rm(saveDir, { recursive: true, force: true });
  await server.close();
});

async function appFor(person: Person) {
  const device = createDevice({ serverUrl: server.url, fetch: network });
  await device.core.logIn({ serverUrl: server.url, email: person.email, password: TEST_PASSWORD });
  device.core.selectWorkspace(acme.workspaceId);
  const bridge = await startHttpBridge(device.core);
  opened.push({ device, bridge });
  const origin = new URL(bridge.url).origin;
  const api = createTRPCClient<LocalRouter>({
    links: [httpLink({ url: `${origin}/local-api`, transformer: superjson, headers: () => ({ [LOCAL_KEY_HEADER]: bridge.key }) })],
  });
  return { api, device, origin };
}

type LocalApi = Awaited<ReturnType<typeof appFor>>["api"];

async function finished(api: LocalApi, id: string) {
  for (let i = 0; i < 200; i++) {
    const p = await api.exports.progress.query({ id });
    if (p.state !== "running") return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the export never finished");
}

const march = { from: "2026-03-01", to: "2026-03-31" };

describe("CSV exports through the core", () => {
  it("in a browser: streams the report's totals to a one-time download on the bridge, with progress", async () => {
    const { api, origin } = await appFor(acme.owner);
    const started = await api.exports.start.mutate({ kind: "report", ...march, groupBy: "user" });
    expect(started).toMatchObject({ mode: "download", fileName: "hoursync-report-user-2026-03-01-2026-04-01.csv" });
    const done = await finished(api, started!.id);
    expect(done).toMatchObject({ state: "done", rows: 2 });
    expect(done.bytes).toBeGreaterThan(0);
    const res = await fetch(`${origin}${done.downloadPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="hoursync-report-user-2026-03-01-2026-04-01.csv"');
    const rows = parse(await res.text(), { columns: true }) as { label: string; hours: string }[];
    expect(Object.fromEntries(rows.map((r) => [r.label, r.hours]))).toEqual({ ann: "10.00", bob: "3.00" });
    // Once: the file is gone after it was sent.
    expect((await fetch(`${origin}${done.downloadPath}`)).status).toBe(404);
    expect((await fetch(`${origin}/downloads/guessed-token`)).status).toBe(404);
  });

  it("in Electron: streams entries to the file picked in the save dialog; a cancelled dialog exports nothing", async () => {
    const { api, device } = await appFor(acme.owner);
    const target = path.join(saveDir, "entries.csv");
    const asked: string[] = [];
    device.core.exports.savePicker = async (name) => (asked.push(name), asked.length === 1 ? target : null);
    const started = await api.exports.start.mutate({ kind: "entries", ...march });
    expect(asked).toEqual(["hoursync-entries-2026-03-01-2026-04-01.csv"]);
    expect(started).toMatchObject({ mode: "file", fileName: "entries.csv" });
    const done = await finished(api, started!.id);
    expect(done).toMatchObject({ state: "done", rows: 6, downloadPath: null });
    const rows = parse(await readFile(target, "utf8"), { columns: true }) as { duration_hours: string }[];
    expect(rows.reduce((n, r) => n + Number(r.duration_hours), 0)).toBe(13);
    expect(await api.exports.start.mutate({ kind: "entries", ...march })).toBeNull();
  });

  it("gives an employee their own time only, and says so when they ask for someone else's", async () => {
    const { api, origin } = await appFor(ann);
    const done = await finished(api, (await api.exports.start.mutate({ kind: "report", ...march, groupBy: "user" }))!.id);
    const rows = parse(await (await fetch(`${origin}${done.downloadPath}`)).text(), { columns: true }) as { label: string }[];
    expect(rows.map((r) => r.label)).toEqual(["ann"]);
    const refused = await api.exports.start.mutate({ kind: "entries", ...march, userId: bob.userId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<LocalRouter>).message).toBe("You can only export your own entries");
    expect((refused as TRPCClientError<LocalRouter>).data?.code).toBe("BAD_REQUEST");
  });

  it("offline: says nothing can be exported now", async () => {
    const { api } = await appFor(acme.owner);
    offline = true;
    try {
      const refused = (await api.exports.start.mutate({ kind: "report", ...march, groupBy: "day" }).catch((e: unknown) => e)) as TRPCClientError<LocalRouter>;
      expect(refused.data?.code).toBe("SERVICE_UNAVAILABLE");
      expect(refused.message).toMatch(/cannot be reached/);
    } finally {
      offline = false;
    }
  });
});
