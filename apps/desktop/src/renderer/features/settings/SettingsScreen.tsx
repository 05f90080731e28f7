import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { usePreferences, useSession, useSyncStatus, type Preferences } from "../../lib/data";
import { errorText, reasonOf } from "../../lib/errors";
import { api, hostKind } from "../../lib/trpc";
import { Button } from "../../ui/Button";
import { JoinWorkspace } from "./JoinWorkspace";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const row = "flex items-center justify-between gap-6 border-b border-line py-3";
const input = "tabular h-8 rounded-md border border-line bg-canvas px-2 text-sm";

/** A group of settings under its heading. */
function Section({ id, title, first, children }: { id: string; title: string; first?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className={`${first ? "mt-2" : "mt-6"} text-sm font-semibold text-muted uppercase`}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** One setting: its name (labelling the control), a hint under it, and the control. */
function Setting({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <label className={row}>
      <span>
        {title}
        {hint && <span className="block text-xs text-muted">{hint}</span>}
      </span>
      {children}
    </label>
  );
}

/** A whole number saved when the field is left. */
function NumberSetting({ value, min, max, width, onSave }: { value: number; min: number; max: number; width: string; onSave: (n: number) => void }) {
  return <input className={`${input} ${width}`} type="number" min={min} max={max} defaultValue={value} onBlur={(e) => onSave(Number(e.target.value))} />;
}

/** An on/off choice saved at once. */
function Toggle({ value, onSave }: { value: boolean; onSave: (on: boolean) => void }) {
  return <input type="checkbox" checked={value} onChange={(e) => onSave(e.target.checked)} />;
}

/** Settings: idle, working hours and reminders, stop-at time, shortcut, start at login, sync interval, sign out. */
export function SettingsScreen() {
  const prefs = usePreferences();
  const session = useSession();
  const sync = useSyncStatus();
  const client = useQueryClient();
  const save = useMutation({ mutationFn: (patch: Partial<Preferences>) => api.preferences.update.mutate(patch) });
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const logOut = useMutation({
    mutationFn: (discardUnsynced: boolean) => api.session.logOut.mutate({ discardUnsynced }),
    onSuccess: () => client.invalidateQueries(),
    onError: (err) => reasonOf(err) === "UNSYNCED_CHANGES" && setConfirmDiscard(true),
  });
  if (!prefs.data) return <p className="p-6 text-muted">Loading settings…</p>;
  const p = prefs.data;
  const pending = sync.data?.pending ?? 0;

  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto max-w-2xl p-6">
        <h1 className="mb-4 text-xl font-semibold">Settings</h1>
        {save.error && (
          <p role="alert" className="mb-2 text-danger">
            {errorText(save.error)}
          </p>
        )}
        <Section id="s-time" title="Timer" first>
          <Setting title="Ask about idle time after (minutes)" hint="0 turns it off. Asleep counts as idle.">
            <NumberSetting value={p.idleThresholdMinutes} min={0} max={240} width="w-20" onSave={(idleThresholdMinutes) => save.mutate({ idleThresholdMinutes })} />
          </Setting>
          <Setting title="Stop a forgotten timer at" hint="Leave empty to never stop it.">
            <input className={`${input} w-28`} type="time" defaultValue={p.stopAt ?? ""} onBlur={(e) => save.mutate({ stopAt: e.target.value || null })} />
          </Setting>
          <Setting title="Durations as">
            <select className={input} value={p.durationFormat} onChange={(e) => save.mutate({ durationFormat: e.target.value as Preferences["durationFormat"] })}>
              <option value="clock">1:30 (hours:minutes)</option>
              <option value="decimal">1.50 (decimal hours)</option>
            </select>
          </Setting>
        </Section>
        <Section id="s-remind" title="Reminders">
          <div className={row}>
            <span id="workdays">Working days</span>
            <div className="flex gap-1" role="group" aria-labelledby="workdays">
              {DAYS.map((d, i) => (
                <button
                  key={d}
                  type="button"
                  aria-pressed={p.workDays.includes(i)}
                  onClick={() => save.mutate({ workDays: p.workDays.includes(i) ? p.workDays.filter((x) => x !== i) : [...p.workDays, i].sort() })}
                  className={`h-8 w-10 rounded-md border text-xs ${p.workDays.includes(i) ? "border-accent bg-accent text-accent-ink" : "border-line"}`}
                >
                  {d}
                </button>
              ))}
            </div>
          </div>
          <div className={row}>
            <span>Working hours</span>
            <span className="flex items-center gap-2">
              <input aria-label="Working hours start" className={input} type="time" defaultValue={p.workStart} onBlur={(e) => e.target.value && save.mutate({ workStart: e.target.value })} />
              –
              <input aria-label="Working hours end" className={input} type="time" defaultValue={p.workEnd} onBlur={(e) => e.target.value && save.mutate({ workEnd: e.target.value })} />
            </span>
          </div>
          <Setting title="Remind me when no timer runs for (minutes)" hint="During working hours. 0 turns reminders off.">
            <NumberSetting value={p.remindAfterMinutes} min={0} max={480} width="w-20" onSave={(remindAfterMinutes) => save.mutate({ remindAfterMinutes })} />
          </Setting>
        </Section>
        <Section id="s-app" title="App">
          <Setting
            title="Start/stop shortcut (anywhere)"
            hint={hostKind === "electron" ? "An Electron accelerator, e.g. CommandOrControl+Shift+Space." : "Works in the desktop app; in browser mode use Ctrl+Enter in the window."}
          >
            <input className={`${input} w-64`} defaultValue={p.globalShortcut} onBlur={(e) => e.target.value && save.mutate({ globalShortcut: e.target.value })} />
          </Setting>
          <Setting title="Start Hoursync when I log in">
            <Toggle value={p.startAtLogin} onSave={(startAtLogin) => save.mutate({ startAtLogin })} />
          </Setting>
          <Setting title="Start minimized (in the tray)">
            <Toggle value={p.startMinimized} onSave={(startMinimized) => save.mutate({ startMinimized })} />
          </Setting>
          <Setting title="Sync every (seconds)" hint="Applies at once. Changes also sync right after you make them when online.">
            <NumberSetting value={p.syncIntervalSeconds} min={15} max={3600} width="w-24" onSave={(syncIntervalSeconds) => save.mutate({ syncIntervalSeconds })} />
          </Setting>
        </Section>
        <Section id="s-account" title="Account">
          <div className={row}>
            <span>
              Signed in as {session.data?.user?.email}
              <span className="block text-xs text-muted">
                {session.data?.serverUrl} · token {session.data?.tokenEncrypted ? "sealed by the system keychain" : "stored unsealed (no keychain in browser mode)"}
              </span>
            </span>
            <Button variant="danger" onClick={() => logOut.mutate(false)} disabled={logOut.isPending}>
              Sign out
            </Button>
          </div>
          <JoinWorkspace />
          {confirmDiscard && (
            <div role="alertdialog" aria-labelledby="discard-title" className="mt-3 rounded-md border border-danger p-3">
              <p id="discard-title" className="font-medium text-danger">
                {pending} {pending === 1 ? "change has" : "changes have"} not reached the server. Signing out now loses {pending === 1 ? "it" : "them"}.
              </p>
              <div className="mt-2 flex gap-2">
                <Button onClick={() => setConfirmDiscard(false)}>Stay signed in</Button>
                <Button variant="danger" onClick={() => logOut.mutate(true)}>
                  Sign out and lose them
                </Button>
              </div>
            </div>
          )}
          {logOut.error && reasonOf(logOut.error) !== "UNSYNCED_CHANGES" && (
            <p role="alert" className="text-danger">
              {errorText(logOut.error)}
            </p>
          )}
        </Section>
      </div>
    </div>
  );
}
