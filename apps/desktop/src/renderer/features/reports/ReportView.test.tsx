import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildReportChart, type SummaryAnswer } from "./chart-data";
import { ReportChart } from "./ReportChart";
import { TotalsTable } from "./TotalsTable";

const H = 3600;
const projects = [
  { id: "site", name: "Website relaunch", color: "#2563eb" },
  { id: "app", name: "Mobile app", color: "#db2777" },
];
/** reports.summary grouped by person and split by project, as the server answers it. */
const answer: SummaryAnswer = {
  currency: "EUR",
  groups: [
    { key: "u-ann", label: "ann", seconds: 3 * H, billableSeconds: 2 * H, amountCents: 24_000 },
    { key: "u-bob", label: "bob", seconds: 5 * H, billableSeconds: 5 * H, amountCents: 40_000 },
  ],
  totals: { seconds: 8 * H, billableSeconds: 7 * H, amountCents: 64_000 },
  stacks: [
    { key: "u-ann", projectId: "site", seconds: 2 * H },
    { key: "u-ann", projectId: "app", seconds: H },
    { key: "u-bob", projectId: "app", seconds: 5 * H },
  ],
};

afterEach(cleanup);

describe("the report's chart and totals table from the server's answer", () => {
  it("lists each group in the chart's order with hours, billable hours and amount, and the server's totals", () => {
    const chart = buildReportChart(answer, projects);
    render(<TotalsTable rows={chart.rows} totals={answer.totals} currency="EUR" groupLabel="Person" format="clock" />);
    const table = screen.getByRole("table", { name: "Totals by person" });
    const lines = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent));
    expect(lines).toEqual([
      ["bob", "5:00", "5:00", "€400.00"],
      ["ann", "3:00", "2:00", "€240.00"],
      ["Total", "8:00", "7:00", "€640.00"],
    ]);
  });

  it("shows each project's share, and the total in decimal hours when the person prefers them", () => {
    const chart = buildReportChart(answer, projects);
    render(<ReportChart chart={chart} format="decimal" title="Hours per person by project" />);
    const shares = screen.getByRole("list", { name: "Share per project" });
    expect(within(shares).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Mobile app75%", "Website relaunch25%"]);
    expect(screen.getByText(/8\.00 in all/)).toBeTruthy();
  });
});
