import type { AttachmentStore } from "../store/attachments.js";
import type { CatalogKind, CatalogStore } from "../store/catalog.js";
import type { EntryStore, LocalEntry } from "../store/entries.js";
import type { Outbox } from "../store/outbox.js";
import type { PulledEntry, PullPage } from "./transport.js";

const CATALOG_OF: Record<string, CatalogKind> = { project: "projects", task: "tasks", tag: "tags", client: "clients" };

export function toLocalEntry(workspaceId: string, e: PulledEntry): LocalEntry {
  return {
    workspaceId,
    id: e.id,
    userId: e.userId,
    projectId: e.projectId,
    taskId: e.taskId,
    description: e.description,
    start: e.start.getTime(),
    end: e.end ? e.end.getTime() : null,
    billable: e.billable,
    tagIds: [...e.tagIds].sort(),
    updatedAt: e.updatedAt.getTime(),
  };
}

/**
 * Applies one pulled page (caller wraps it in a transaction with the cursor).
 * The server's version always becomes the entry's confirmed version; it
 * replaces the local one unless local changes to that entry are still queued
 * or rejected: those stay visible until pushed, fixed or discarded.
 * Returns the local attachment copies that lost their row, for the caller to
 * delete once the transaction has committed.
 */
export function applyPullPage(
  workspaceId: string,
  page: PullPage,
  stores: { entries: EntryStore; catalog: CatalogStore; outbox: Outbox; attachments: AttachmentStore },
): string[] {
  const { entries, catalog, outbox, attachments } = stores;
  const leftovers: string[] = [];
  const forgetAttachment = (id: string) => {
    // The server no longer has it: nothing queued about it can still succeed.
    outbox.dropEntity(workspaceId, id);
    const file = attachments.remove(workspaceId, id);
    if (file) leftovers.push(file);
  };
  for (const p of page.projects) catalog.putProject(workspaceId, p);
  for (const t of page.tasks) catalog.putTask(workspaceId, t);
  for (const t of page.tags) catalog.putTag(workspaceId, t);
  for (const c of page.clients) catalog.putClient(workspaceId, c);
  if (page.locks) catalog.putLockState(workspaceId, page.locks);
  for (const e of page.entries) {
    entries.putFromServer(toLocalEntry(workspaceId, e), outbox.touches(workspaceId, e.id));
  }
  for (const a of page.attachments ?? []) attachments.putFromServer(workspaceId, a);
  for (const d of page.deletions) {
    if (d.entity === "entry") {
      // With local changes queued the entry stays visible (their push will be refused and shown),
      // but there is no server version left to return to.
      if (outbox.touches(workspaceId, d.id)) {
        entries.forgetServerVersion(workspaceId, d.id);
      } else {
        entries.remove(workspaceId, d.id);
        // The server deleted the entry's files with it.
        const gone = attachments.removeForEntry(workspaceId, d.id);
        for (const id of gone.ids) outbox.dropEntity(workspaceId, id);
        leftovers.push(...gone.paths);
      }
    } else if (d.entity === "attachment") {
      forgetAttachment(d.id);
    } else {
      catalog.remove(workspaceId, CATALOG_OF[d.entity]!, d.id);
    }
  }
  return leftovers;
}
