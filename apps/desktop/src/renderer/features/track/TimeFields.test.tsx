import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatTime } from "../../lib/dates";
import { TimeFields } from "./TimeFields";

const nine = new Date(2026, 10, 3, 9).getTime();
const hour = 3_600_000;

afterEach(cleanup);

describe("TimeFields: a change from elsewhere while the person types", () => {
  it("keeps the draft of the field being typed in and refreshes the others", async () => {
    const onSave = vi.fn();
    const view = render(<TimeFields start={nine} end={nine + 2 * hour} onSave={onSave} />);
    const duration = screen.getByLabelText("Duration");
    await userEvent.click(duration);
    await userEvent.clear(duration);
    await userEvent.type(duration, "45");

    // A sync moves the entry a half hour later while "45" is half typed.
    view.rerender(<TimeFields start={nine + hour / 2} end={nine + 2.5 * hour} onSave={onSave} />);

    expect((duration as HTMLInputElement).value).toBe("45");
    expect(document.activeElement).toBe(duration);
    expect((screen.getByLabelText("Start time") as HTMLInputElement).value).toBe(formatTime(nine + hour / 2));
    expect((screen.getByLabelText("End time") as HTMLInputElement).value).toBe(formatTime(nine + 2.5 * hour));

    await userEvent.type(duration, "m{Enter}");
    expect(onSave).toHaveBeenLastCalledWith({ end: nine + hour / 2 + 45 * 60_000 });
  });

  it("refreshes a field again once its draft is saved or undone", async () => {
    const view = render(<TimeFields start={nine} end={nine + hour} onSave={() => {}} />);
    const duration = screen.getByLabelText("Duration");
    await userEvent.clear(duration);
    await userEvent.type(duration, "2h{Escape}");
    expect((duration as HTMLInputElement).value).toBe("1:00");

    view.rerender(<TimeFields start={nine} end={nine + 3 * hour} onSave={() => {}} />);
    expect((duration as HTMLInputElement).value).toBe("3:00");
  });

  it("keeps a refused draft with its error until the person fixes it", async () => {
    const onSave = vi.fn();
    const view = render(<TimeFields start={nine} end={nine + hour} onSave={onSave} />);
    const end = screen.getByLabelText("End time");
    await userEvent.clear(end);
    await userEvent.type(end, "late");
    fireEvent.blur(end);
    expect(screen.getByRole("alert").textContent).toContain("End must be a time");

    view.rerender(<TimeFields start={nine} end={nine + 2 * hour} onSave={onSave} />);
    expect((end as HTMLInputElement).value).toBe("late");
    expect(onSave).not.toHaveBeenCalled();
  });
});
