import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_1, PROJECT_2, TASK_1, TASK_2, TAG_1, TempFolder, WS_A, WS_B, seedCatalog } from "../testing/local-fixture.js";
import { CatalogStore } from "./catalog.js";

let tmp: TempFolder;
let catalog: CatalogStore;
beforeEach(() => {
  tmp = new TempFolder();
  catalog = new CatalogStore(tmp.openDb());
  seedCatalog(catalog, WS_A);
});
afterEach(() => tmp.cleanup());

describe("CatalogStore", () => {
  it("reads back projects (sorted by name, archived hidden by default), tasks per project, tags and clients", () => {
    catalog.putProject(WS_A, { id: "old", clientId: "c1", name: "Archived one", color: "#000", billable: false, archived: true });
    catalog.putClient(WS_A, { id: "c1", name: "Acme", archived: false });

    expect(catalog.projects(WS_A).map((p) => p.name)).toEqual(["Mobile", "Website"]);
    expect(catalog.projects(WS_A, true).map((p) => p.name)).toEqual(["Archived one", "Mobile", "Website"]);
    expect(catalog.project(WS_A, "old")).toEqual({ id: "old", clientId: "c1", name: "Archived one", color: "#000", billable: false, archived: true });
    expect(catalog.project(WS_A, PROJECT_1)).toMatchObject({ billable: true, archived: false });
    expect(catalog.tasks(WS_A, PROJECT_2)).toEqual([{ id: TASK_2, projectId: PROJECT_2, name: "Build", done: false }]);
    expect(catalog.tasks(WS_A).map((t) => t.id).sort()).toEqual([TASK_1, TASK_2].sort());
    expect(catalog.tags(WS_A).map((t) => t.name)).toEqual(["meeting", "urgent"]);
    expect(catalog.clients(WS_A)).toEqual([{ id: "c1", name: "Acme", archived: false }]);
  });

  it("upserts by id and removes per kind", () => {
    catalog.putTag(WS_A, { id: TAG_1, name: "renamed" });
    expect(catalog.tags(WS_A).find((t) => t.id === TAG_1)?.name).toBe("renamed");
    expect(catalog.tags(WS_A)).toHaveLength(2);

    catalog.remove(WS_A, "projects", PROJECT_1);
    catalog.remove(WS_A, "tasks", TASK_1);
    expect(catalog.project(WS_A, PROJECT_1)).toBeNull();
    expect(catalog.tasks(WS_A, PROJECT_1)).toEqual([]);
    expect(catalog.project(WS_A, PROJECT_2)).not.toBeNull();
  });

  it("keeps workspaces apart", () => {
    expect(catalog.projects(WS_B, true)).toEqual([]);
    expect(catalog.tasks(WS_B)).toEqual([]);
    expect(catalog.tags(WS_B)).toEqual([]);
    catalog.putTag(WS_B, { id: TAG_1, name: "B's tag" });
    catalog.remove(WS_B, "tags", TAG_1);
    expect(catalog.tags(WS_A).find((t) => t.id === TAG_1)?.name).toBe("meeting");
  });
});
