import type { ArchiveLimits } from "./archive-zip.js";

/** What the configuration says about workspace archive imports. */
export interface ArchiveImportSettings extends ArchiveLimits {
  /** Imports running at once in this process (one per person). */
  maxRunning: number;
}
