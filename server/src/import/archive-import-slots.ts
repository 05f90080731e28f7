import { RateLimitedError } from "../rate-limit/errors.js";

/** A refused import is told to wait about as long as an import takes. */
const RETRY_AFTER_SECONDS = 30;

/**
 * Places for imports running at once: one per person, `perProcess` in all.
 * An import holds a temporary file, the archive's rows in memory and one
 * long transaction, so it is the heaviest thing a signed-in person can ask
 * for; counted per process, like what it uses.
 */
export class ArchiveImportSlots {
  private readonly people = new Set<string>();

  constructor(private readonly perProcess: number) {}

  async run<T>(userId: string, work: () => Promise<T>): Promise<T> {
    if (this.people.has(userId) || this.people.size >= this.perProcess) throw new RateLimitedError("import", RETRY_AFTER_SECONDS);
    this.people.add(userId);
    try {
      return await work();
    } finally {
      this.people.delete(userId);
    }
  }
}
