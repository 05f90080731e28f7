import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TRPCClientError } from "@trpc/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { invitationLink, parseInvitation } from "../../lib/invitation-link";
import { parseRate } from "../../lib/money";
import { NamedList } from "./NamedList";
import { emptyDraft } from "./project-draft";
import { ProjectForm } from "./ProjectForm";
import { refusalWords } from "./refusals";
import { checkSettings, settingsDraft, type WorkspaceSettings } from "./settings-draft";

afterEach(cleanup);

/** A refusal as the local API delivers it: the server's reason in `data.reason`. */
function refused(reason: string, message = "refused") {
  return new TRPCClientError(message, { result: { error: { message, code: -32600, data: { code: "CONFLICT", reason } } } });
}

describe("project form", () => {
  it("says what is wrong field by field and sends nothing until it is right", async () => {
    const onSubmit = vi.fn();
    render(<ProjectForm initial={emptyDraft()} clients={[{ id: "c1", name: "Acme" }]} submitLabel="Create project" busy={false} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Hourly rate"), "85.555");
    await user.click(screen.getByRole("button", { name: "Create project" }));
    expect(screen.getByText("Give the project a name")).toBeTruthy();
    expect(screen.getByText("A rate like 85 or 85.50")).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText("Project name"), "  Website  ");
    await user.clear(screen.getByLabelText("Hourly rate"));
    await user.type(screen.getByLabelText("Hourly rate"), "85,50");
    await user.selectOptions(screen.getByLabelText("Client"), "c1");
    await user.click(screen.getByRole("button", { name: "Colour #059669" }));
    await user.click(screen.getByLabelText("Billable by default"));
    await user.click(screen.getByRole("button", { name: "Create project" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Website", color: "#059669", clientId: "c1", billable: false, hourlyRateCents: 8550 });
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("refusals in words", () => {
  it("names the thing refused: a taken name, a thing in use, the last owner, offline", () => {
    expect(refusalWords(refused("DUPLICATE"), "client")).toBe("A client with that name already exists. Choose another name.");
    expect(refusalWords(refused("IN_USE"), "project")).toMatch(/^This project is still in use .*Archive it instead\.$/);
    expect(refusalWords(refused("LAST_OWNER"), "member")).toMatch(/only owner\. Make someone else an owner first/);
    expect(refusalWords(refused("OFFLINE"), "tag")).toMatch(/server cannot be reached/);
    expect(refusalWords(refused("FORBIDDEN", "Only an owner can change owners"), "member")).toBe("You are not allowed to do this: Only an owner can change owners.");
  });

  it("a list shows the server's refusal under it, and refuses an empty name itself", async () => {
    const onCreate = vi.fn();
    const { rerender } = render(
      <NamedList what="client" items={[{ id: "1", name: "Acme" }]} error={null} busy={false} onCreate={onCreate} onRename={vi.fn()} onDelete={vi.fn()} />,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Add client" }));
    expect(screen.getByRole("alert").textContent).toBe("Give the client a name");
    expect(onCreate).not.toHaveBeenCalled();
    rerender(<NamedList what="client" items={[{ id: "1", name: "Acme" }]} error={refused("IN_USE")} busy={false} onCreate={onCreate} onRename={vi.fn()} onDelete={vi.fn()} />);
    await userEvent.setup().type(screen.getByLabelText("New client"), "Globex");
    await userEvent.setup().click(screen.getByRole("button", { name: "Add client" }));
    expect(onCreate).toHaveBeenCalledWith("Globex", expect.any(Function));
    expect(screen.getByRole("alert").textContent).toMatch(/This client is still in use/);
  });
});

describe("workspace settings form", () => {
  const saved: WorkspaceSettings = {
    name: "Acme",
    timezone: "Europe/Berlin",
    weekStartsOn: 1,
    currency: "EUR",
    hourlyRateCents: 9000,
    rateLimitPerMinute: 1200,
    userRateLimitPerMinute: 300,
    timesheetPeriod: "WEEK",
    lockBefore: new Date("2026-01-01T00:00:00Z"),
    lockGraceDays: null,
    approvalMode: "ALL_MANAGERS",
  };
  const zones = ["UTC", "Europe/Berlin", "America/New_York"];

  it("sends only what changed", () => {
    const draft = settingsDraft(saved);
    expect(checkSettings(draft, saved, zones)).toEqual({ ok: true, patch: {} });
    const changed = { ...draft, timezone: "America/New_York", currency: "usd", rate: "", lockBefore: "", lockGraceDays: "7", period: "MONTH" };
    expect(checkSettings(changed, saved, zones)).toEqual({
      ok: true,
      patch: { timezone: "America/New_York", currency: "USD", hourlyRateCents: null, lockBefore: null, lockGraceDays: 7, timesheetPeriod: "MONTH" },
    });
  });

  it("refuses a zone not in the list, a bad currency, limits out of range, all at once", () => {
    const draft = { ...settingsDraft(saved), name: " ", timezone: "Berlin", currency: "EURO", rateLimit: "5", lockGraceDays: "-1" };
    const checked = checkSettings(draft, saved, zones);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && Object.keys(checked.errors).sort()).toEqual(["currency", "lockGraceDays", "name", "rateLimit", "timezone"]);
  });
});

describe("rates and invitation links", () => {
  it("reads rates as people type them", () => {
    expect(parseRate("")).toEqual({ cents: null });
    expect(parseRate("85")).toEqual({ cents: 8500 });
    expect(parseRate("0,5")).toEqual({ cents: 50 });
    expect(parseRate("1e3")).toHaveProperty("error");
    expect(parseRate("100000.01")).toHaveProperty("error");
  });

  it("a copied link gives back its token and server; a bare token works too; anything else does not", () => {
    const token = "0c8f7e5a-1b2c-4d3e-8f90-123456789abc.hsi_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd";
    expect(parseInvitation(invitationLink("https://time.example.com", token))).toEqual({ token, serverUrl: "https://time.example.com" });
    expect(parseInvitation(`  ${token} `)).toEqual({ token, serverUrl: null });
    expect(parseInvitation("https://example.com/?token=nope")).toBeNull();
    expect(parseInvitation("hello")).toBeNull();
  });
});
