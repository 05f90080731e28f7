import { randomUUID } from "node:crypto";

/**
 * Every archived id -> a new one, made here. Ids are never kept: on a
 * shared server an id chosen by someone else's archive could collide with,
 * or probe for, another tenant's rows. One map for all sections (ids are
 * UUIDs, unique across them), so every reference translates the same way.
 */
export class IdMap {
  private readonly fresh = new Map<string, string>();

  /** Gives each of `ids` a new id (once). */
  add(ids: Iterable<string>): void {
    for (const id of ids) if (!this.fresh.has(id)) this.fresh.set(id, randomUUID());
  }

  /** The new id of an archived one; throws for an id the archive never defined (checked earlier, so a bug). */
  of(id: string): string {
    const found = this.fresh.get(id);
    if (!found) throw new Error("an archived id without a new one");
    return found;
  }

  ofNullable(id: string | null): string | null {
    return id === null ? null : this.of(id);
  }

  /** The new id when `id` is one of the archive's, else null (free-text references such as an audit event's target). */
  tryOf(id: string | null): string | null {
    return id === null ? null : (this.fresh.get(id) ?? null);
  }
}
