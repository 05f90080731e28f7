import { TRPCError } from "@trpc/server";
import { csvImportInput } from "../contract/csv-import.js";
import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import { importCsv } from "../import/csv-import.js";
import { CsvFileError } from "../import/csv-read.js";
import { ReasonedError, router } from "../trpc/init.js";
import { tenantProcedure } from "../trpc/procedures.js";
import { invalidateTimeFigures } from "./project-totals.js";

const TOO_LONG = "This import took longer than the server allows: split the file and import the parts";

export const csvImportRouter = router({
  /**
   * Time entries from a Toggl Track or Clockify detailed-report CSV: a dry
   * run (the default) answers what would be made and every refused row; a
   * real run makes it in one transaction. Members import their own rows,
   * admins and owners anyone's. Heavy: it runs in the workspace's few places
   * for heavy work, under their statement timeout, like reports.
   */
  entries: tenantProcedure
    .meta({ heavy: true })
    .input(csvImportInput)
    .mutation(async ({ ctx, input }) => {
      try {
        const result = await importCsv(ctx.db, ctx.tenantId, ctx.member, input);
        if (result.counts.created) invalidateTimeFigures(ctx);
        return result;
      } catch (err) {
        if (err instanceof CsvFileError) throw new TRPCError({ code: "BAD_REQUEST", message: err.message });
        // The heavy statement timeout's own words speak of reports.
        if (dbFailureOf(err)?.sqlState === SQLSTATE.queryCanceled) throw new ReasonedError("TIMEOUT", "STATEMENT_TIMEOUT", TOO_LONG);
        throw err;
      }
    }),
});
