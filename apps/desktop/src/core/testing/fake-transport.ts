/**
 * A scripted SyncTransport for unit tests of the sync engine and attachments:
 * it records every call in order and answers as the test says.
 */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import {
  OfflineError,
  type AttachmentDeleteResult,
  type AttachmentUpload,
  type AttachmentUploadResult,
  type AttachmentView,
  type PullPage,
  type PushMutation,
  type PushResult,
  type SyncTransport,
} from "../sync/transport.js";
import { ALICE, T0 } from "./local-fixture.js";
import { sha256Of } from "./sample-files.js";

export function emptyPage(over: Partial<PullPage> = {}): PullPage {
  return { entries: [], projects: [], tasks: [], tags: [], clients: [], deletions: [], cursor: 0, hasMore: false, ...over };
}

export function serverView(over: Partial<AttachmentView> & Pick<AttachmentView, "id" | "entryId">): AttachmentView {
  return {
    userId: ALICE,
    name: "receipt.png",
    sizeBytes: 10,
    contentType: "image/png",
    sha256: "0".repeat(64),
    createdAt: new Date(T0),
    ...over,
  };
}

export class FakeTransport implements SyncTransport {
  /** "push 1,2", "upload <id>", "delete <id>", "pull <cursor>", "download <id>", in call order. */
  readonly calls: string[] = [];
  /** Bytes received per upload call. */
  readonly uploaded: { id: string; bytes: Buffer }[] = [];
  offline = false;
  /** Answers uploads (default: stored, described as the server would). */
  uploadAnswer: (u: AttachmentUpload, bytes: Buffer) => AttachmentUploadResult = (u, bytes) => ({
    status: "applied",
    attachment: serverView({ id: u.id, entryId: u.entryId, name: u.name, sizeBytes: bytes.length, sha256: sha256Of(bytes) }),
  });
  deleteAnswer: (id: string) => AttachmentDeleteResult = () => ({ status: "applied" });
  pushAnswer: (m: PushMutation) => PushResult = (m) => ({ mutationId: m.mutationId, status: "applied" });
  /** Pages returned by pull, one per call; an empty page once they run out. */
  readonly pages: PullPage[] = [];
  /** File contents served by download, as chunks. */
  readonly served = new Map<string, Buffer[]>();

  private reach(call: string) {
    if (this.offline) throw new OfflineError();
    this.calls.push(call);
  }

  async registerClient() {
    if (this.offline) throw new OfflineError();
    return { lastMutationId: 0 };
  }

  async push(_ws: string, _clientId: string, mutations: PushMutation[]) {
    this.reach(`push ${mutations.map((m) => m.mutationId).join(",")}`);
    return mutations.map((m) => this.pushAnswer(m));
  }

  async pull(_ws: string, { cursor }: { cursor: number }) {
    this.reach(`pull ${cursor}`);
    return this.pages.shift() ?? emptyPage({ cursor });
  }

  async uploadAttachment(_ws: string, upload: AttachmentUpload) {
    this.reach(`upload ${upload.id}`);
    const bytes = readFileSync(upload.file);
    this.uploaded.push({ id: upload.id, bytes });
    return this.uploadAnswer(upload, bytes);
  }

  async deleteAttachment(_ws: string, id: string) {
    this.reach(`delete ${id}`);
    return this.deleteAnswer(id);
  }

  async downloadAttachment(_ws: string, id: string) {
    this.reach(`download ${id}`);
    const chunks = this.served.get(id);
    if (!chunks) throw new Error(`nothing served for ${id}`);
    return Readable.from(chunks);
  }
}
