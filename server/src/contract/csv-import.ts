import { z } from "zod";
import { timeZone } from "./common.js";

/**
 * Importing time entries from a Toggl Track or Clockify detailed-report CSV.
 * The file travels as text inside the JSON request, whose limit is 5 MB:
 * 4 MB of CSV leaves room for the escaping of its quotes.
 */
export const CSV_IMPORT_MAX_BYTES = 4 * 1024 * 1024;

export const csvImportInput = z.object({
  csv: z
    .string()
    .min(1, "The file is empty")
    .max(CSV_IMPORT_MAX_BYTES, "The file is larger than 4 MB: split it")
    .refine((s) => new TextEncoder().encode(s).length <= CSV_IMPORT_MAX_BYTES, "The file is larger than 4 MB: split it"),
  /** Which export the file is; "auto" reads it from the header. */
  format: z.enum(["auto", "toggl", "clockify"]).default("auto"),
  /** The zone the file's local dates and times are in; default: the workspace's. */
  timeZone: timeZone.optional(),
  /** Day or month first in dates like 03/04/2026; "auto" takes it from the file's unambiguous dates. */
  dateOrder: z.enum(["auto", "DMY", "MDY"]).default("auto"),
  /** Report what would happen and write nothing (the default: importing is deliberate). */
  dryRun: z.boolean().default(true),
  /** Create the projects, clients, tasks and tags the file names that the workspace lacks (admins only). */
  createMissing: z.boolean().default(true),
});

export type CsvImportInput = z.infer<typeof csvImportInput>;
