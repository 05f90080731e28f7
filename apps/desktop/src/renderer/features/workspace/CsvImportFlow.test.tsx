import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TRPCClientError } from "@trpc/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CsvImportFlow, type CsvImportInput, type CsvImportResult } from "./CsvImportFlow";

afterEach(cleanup);

const CSV = "User,Email,Start date,Start time,End date,End time\nAnn,ann@x.test,2026-03-03,09:00,2026-03-03,10:00\n";

/** A refusal as the local API delivers the server's. */
function refusal(message: string) {
  return new TRPCClientError(message, { result: { error: { message, code: -32600, data: { code: "BAD_REQUEST" } } } });
}

function answer(dryRun: boolean): CsvImportResult {
  return {
    dryRun,
    format: "toggl",
    timeZone: "Europe/Berlin",
    counts: { rows: 2, accepted: 1, refused: 1, created: dryRun ? 0 : 1 },
    entries: [
      {
        row: 2,
        email: "ann@x.test",
        start: new Date("2026-03-03T08:00:00Z"),
        end: new Date("2026-03-03T09:00:00Z"),
        description: "Homepage, hero",
        project: "Website",
        client: "Acme",
        task: "Design",
        tags: ["design", "client"],
        billable: true,
      },
    ],
    create: { clients: [], projects: [], tasks: [{ project: "Website", name: "Design" }], tags: ["design"] },
    refused: [{ row: 3, reason: "nobody with the e-mail bob@x.test is a member of this workspace" }],
  };
}

describe("CSV import flow", () => {
  it("asks for a dry run on picking a file, shows every refusal and what it makes, then imports on request", async () => {
    const run = vi.fn(async (input: CsvImportInput) => answer(input.dryRun ?? true));
    render(<CsvImportFlow defaultTimeZone="Europe/Berlin" run={run} />);
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText("CSV file"), new File([CSV], "toggl.csv", { type: "text/csv" }));

    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]![0]).toEqual({ csv: CSV, format: "auto", dateOrder: "auto", timeZone: "Europe/Berlin", createMissing: true, dryRun: true });
    expect((await screen.findByText(/of 2 rows will be imported/)).textContent).toBe("toggl.csv: 1 of 2 rows will be imported, 1 refused.");
    const refused = within(screen.getByRole("region", { name: "Refused rows" }));
    expect(refused.getByText("nobody with the e-mail bob@x.test is a member of this workspace")).toBeTruthy();
    expect(screen.getByText("task Design in Website · tag design")).toBeTruthy();
    const entries = within(screen.getByRole("region", { name: "Entries" }));
    expect(entries.getByText("ann@x.test")).toBeTruthy();
    expect(entries.getByText("Website / Design")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Import 1 entry" }));
    expect(run).toHaveBeenCalledTimes(2);
    expect(run.mock.calls[1]![0]).toMatchObject({ csv: CSV, dryRun: false });
    expect(await screen.findByText("Imported 1 entry; 1 row was left out (below).")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Import \d/ })).toBeNull();
  });

  it("asks again when an option changes, and says the server's refusal of the file in words", async () => {
    const run = vi
      .fn<(input: CsvImportInput) => Promise<CsvImportResult>>()
      .mockResolvedValueOnce(answer(true))
      .mockRejectedValueOnce(refusal("This is not a Toggl Track or Clockify detailed report"));
    render(<CsvImportFlow defaultTimeZone="UTC" run={run} />);
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText("CSV file"), new File([CSV], "a.csv", { type: "text/csv" }));
    await user.selectOptions(screen.getByLabelText("Dates like 03/04"), "MDY");
    expect(run.mock.calls[1]![0]).toMatchObject({ dateOrder: "MDY", dryRun: true });
    expect((await screen.findByRole("alert")).textContent).toMatch(/not a Toggl Track or Clockify detailed report/);
  });

  it("refuses a file over 4 MB before sending it", async () => {
    const run = vi.fn();
    render(<CsvImportFlow defaultTimeZone="UTC" run={run} />);
    await userEvent.setup().upload(screen.getByLabelText("CSV file"), new File(["x".repeat(4 * 1024 * 1024 + 1)], "big.csv", { type: "text/csv" }));
    expect(screen.getByRole("alert").textContent).toMatch(/larger than 4 MB/);
    expect(run).not.toHaveBeenCalled();
  });
});
