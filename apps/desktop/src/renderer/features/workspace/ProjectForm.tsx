import { useState, type FormEvent } from "react";
import { Button } from "../../ui/Button";
import { checkDraft, PROJECT_COLORS, type DraftErrors, type ProjectDraft } from "./project-draft";

type Fields = Extract<ReturnType<typeof checkDraft>, { ok: true }>["fields"];

/** A project's name, colour, client, billable default and rate; Enter saves, Escape cancels. */
export function ProjectForm({
  initial,
  clients,
  submitLabel,
  busy,
  onSubmit,
  onCancel,
}: {
  initial: ProjectDraft;
  clients: { id: string; name: string }[];
  submitLabel: string;
  busy: boolean;
  onSubmit: (fields: Fields) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<DraftErrors>({});
  const set = <K extends keyof ProjectDraft>(key: K, value: ProjectDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkDraft(draft);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    onSubmit(checked.fields);
  }

  return (
    <form onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel?.()} className="flex flex-wrap items-start gap-3" noValidate aria-label={submitLabel}>
      <div className="flex min-w-48 flex-1 flex-col gap-1 text-sm">
        <label className="flex flex-col gap-1">
          Project name
          <input value={draft.name} onChange={(e) => set("name", e.target.value)} aria-invalid={errors.name ? true : undefined} className="h-8 rounded-md border border-line bg-canvas px-2" />
        </label>
        {errors.name && <span role="alert" className="text-xs text-danger">{errors.name}</span>}
      </div>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="mb-1">Colour</legend>
        <div className="flex gap-1">
          {PROJECT_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              aria-label={`Colour ${c}`}
              aria-pressed={draft.color.toLowerCase() === c}
              onClick={() => set("color", c)}
              className={`h-6 w-6 rounded-full border-2 ${draft.color.toLowerCase() === c ? "border-ink" : "border-transparent"}`}
              style={{ background: c }}
            />
          ))}
        </div>
      </fieldset>
      <label className="flex flex-col gap-1 text-sm">
        Client
        <select value={draft.clientId} onChange={(e) => set("clientId", e.target.value)} className="h-8 rounded-md border border-line bg-canvas px-2">
          <option value="">No client</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <div className="flex flex-col gap-1 text-sm">
        <label className="flex flex-col gap-1">
          Hourly rate
          <input value={draft.rate} onChange={(e) => set("rate", e.target.value)} inputMode="decimal" placeholder="Workspace's" aria-invalid={errors.rate ? true : undefined} className="tabular h-8 w-28 rounded-md border border-line bg-canvas px-2 text-right" />
        </label>
        {errors.rate && <span role="alert" className="text-xs text-danger">{errors.rate}</span>}
      </div>
      <label className="mt-6 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={draft.billable} onChange={(e) => set("billable", e.target.checked)} /> Billable by default
      </label>
      <div className="mt-5 flex gap-2">
        <Button type="submit" variant="primary" disabled={busy}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
