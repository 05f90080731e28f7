import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useServerMutation } from "../../lib/server";
import { Button } from "../../ui/Button";
import { refusalWords } from "./refusals";
import { Refusal } from "./ServerView";
import { checkSettings, settingsDraft, type SettingsDraft, type WorkspaceSettings } from "./settings-draft";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const input = "h-8 rounded-md border border-line bg-canvas px-2 text-sm";

/** Every IANA zone this runtime knows (the server checks it against its database too). */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/** The workspace's settings in one form: only what changed is sent; Enter saves. */
export function SettingsPanel({ workspace }: { workspace: WorkspaceSettings }) {
  const zones = useMemo(timeZones, []);
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(workspace));
  const [errors, setErrors] = useState<Partial<Record<keyof SettingsDraft, string>>>({});
  const [saved, setSaved] = useState(false);
  const update = useServerMutation((s) => s.workspace.update);
  const set = (key: keyof SettingsDraft) => (e: { target: { value: string } }) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    const checked = checkSettings(draft, workspace, zones);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    if (Object.keys(checked.patch).length === 0) return setSaved(true);
    update.mutate(checked.patch, { onSuccess: () => setSaved(true) });
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-3xl flex-col gap-1" aria-label="Workspace settings">
      <Row label="Name" error={errors.name}>
        <input className={`${input} w-72`} value={draft.name} onChange={set("name")} />
      </Row>
      <Row label="Time zone" hint="Days and weeks are cut in this zone for timesheets and reports." error={errors.timezone}>
        <input className={`${input} w-72`} list="iana-zones" value={draft.timezone} onChange={set("timezone")} placeholder="Type to search, e.g. Berlin" />
        <datalist id="iana-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </Row>
      <Row label="Week starts on">
        <select className={input} value={draft.weekStartsOn} onChange={set("weekStartsOn")}>
          {DAYS.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
      </Row>
      <Row label="Currency" error={errors.currency}>
        <input className={`${input} w-20 uppercase`} maxLength={3} value={draft.currency} onChange={set("currency")} />
      </Row>
      <Row label="Default hourly rate" hint="Used where neither the person nor the project has a rate. Empty: no amount." error={errors.rate}>
        <input className={`${input} tabular w-28 text-right`} inputMode="decimal" value={draft.rate} onChange={set("rate")} />
      </Row>
      <Row label="Timesheet period">
        <select className={input} value={draft.period} onChange={set("period")}>
          <option value="WEEK">Week</option>
          <option value="MONTH">Month</option>
        </select>
      </Row>
      <Row label="Who approves timesheets">
        <select className={input} value={draft.approvalMode} onChange={set("approvalMode")}>
          <option value="ALL_MANAGERS">Any manager</option>
          <option value="PROJECT_MANAGERS">The managers of the projects</option>
        </select>
      </Row>
      <Row label="Lock all time before" hint="Nobody can change time before this day. Empty: no fixed lock.">
        <input className={input} type="date" value={draft.lockBefore} onChange={set("lockBefore")} />
      </Row>
      <Row label="Lock each period after (days)" hint="A period locks this many days after it ends. Empty: no rolling lock." error={errors.lockGraceDays}>
        <input className={`${input} tabular w-20 text-right`} inputMode="numeric" value={draft.lockGraceDays} onChange={set("lockGraceDays")} />
      </Row>
      <Row label="Requests per minute (workspace)" error={errors.rateLimit}>
        <input className={`${input} tabular w-28 text-right`} inputMode="numeric" value={draft.rateLimit} onChange={set("rateLimit")} />
      </Row>
      <Row label="Requests per minute (each person)" error={errors.userRateLimit}>
        <input className={`${input} tabular w-28 text-right`} inputMode="numeric" value={draft.userRateLimit} onChange={set("userRateLimit")} />
      </Row>
      <div className="mt-3 flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save settings"}
        </Button>
        {saved && !update.isPending && (
          <span role="status" className="text-sm text-ok">
            ✓ Saved
          </span>
        )}
      </div>
      <Refusal text={update.error ? refusalWords(update.error, "setting") : null} />
    </form>
  );
}

function Row({ label, hint, error, children }: { label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="border-b border-line py-2.5 text-sm">
      <label className="flex items-center justify-between gap-6">
        {label}
        {children}
      </label>
      {hint && <span className="block text-xs text-muted">{hint}</span>}
      {error && (
        <span role="alert" className="block text-xs text-danger">
          {error}
        </span>
      )}
    </div>
  );
}
