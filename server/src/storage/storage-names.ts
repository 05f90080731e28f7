import { randomBytes } from "node:crypto";

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STORAGE_KEY = /^[0-9a-f]{32}$/;

/** The storage was asked for a name that no caller of ours makes (a forged id or key); nothing is touched. */
export class StorageNameError extends Error {
  constructor(what: string) {
    super(`Refusing to use the storage: ${what}`);
    this.name = "StorageNameError";
  }
}

/** A new server-made key: 32 random hex digits, never derived from anything a client sent. */
export function newStorageKey(): string {
  return randomBytes(16).toString("hex");
}

export function isTenantId(tenantId: string): boolean {
  return TENANT_ID.test(tenantId);
}

/** Both parts of a stored file's name, checked against fixed patterns so no input can name another place. */
export function checkedName(tenantId: string, key?: string): void {
  if (!TENANT_ID.test(tenantId)) throw new StorageNameError("tenant id is not a uuid");
  if (key !== undefined && !STORAGE_KEY.test(key)) throw new StorageNameError("key is not a storage key");
}
