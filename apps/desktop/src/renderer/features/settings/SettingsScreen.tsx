import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { usePreferences, useSession, useSyncStatus, type Preferences } from "../../lib/data";
import { errorText, reasonOf } from "../../lib/errors";
import { api, hostKind } from "../../lib/trpc";
import { Button } from "../../ui/Button";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const row = "flex items-center justify-between gap-6 border-b border-line py-3";
const input = "tabular h-8 rounded-md border border-line bg-canvas px-2 text-sm";

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
        <section aria-labelledby="s-time">
          <h2 id="s-time" className="mt-2 text-sm font-semibold text-muted uppercase">
            Timer
          </h2>
          <label className={row}>
            <span>
              Ask about idle time after (minutes)
              <span className="block text-xs text-muted">0 turns it off. Asleep counts as idle.</span>
            </span>
            <input className={`${input} w-20`} type="number" min={0} max={240} defaultValue={p.idleThresholdMinutes} onBlur={(e) => save.mutate({ idleThresholdMinutes: Number(e.target.value) })} />
          </label>
          <label className={row}>
            <span>
              Stop a forgotten timer at
              <span className="block text-xs text-muted">Leave empty to never stop it.</span>
            </span>
            <input className={`${input} w-24`} type="time" defaultValue={p.stopAt ?? ""} onBlur={(e) => save.mutate({ stopAt: e.target.value || null })} />
          </label>
          <label className={row}>
            <span>Durations as</span>
            <select className={input} value={p.durationFormat} onChange={(e) => save.mutate({ durationFormat: e.target.value as Preferences["durationFormat"] })}>
              <option value="clock">1:30 (hours:minutes)</option>
              <option value="decimal">1.50 (decimal hours)</option>
            </select>
          </label>
        </section>
        <section aria-labelledby="s-remind">
          <h2 id="s-remind" className="mt-6 text-sm font-semibold text-muted uppercase">
            Reminders
          </h2>
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
          <label className={row}>
            <span>
              Remind me when no timer runs for (minutes)
              <span className="block text-xs text-muted">During working hours. 0 turns reminders off.</span>
            </span>
            <input className={`${input} w-20`} type="number" min={0} max={480} defaultValue={p.remindAfterMinutes} onBlur={(e) => save.mutate({ remindAfterMinutes: Number(e.target.value) })} />
          </label>
        </section>
        <section aria-labelledby="s-app">
          <h2 id="s-app" className="mt-6 text-sm font-semibold text-muted uppercase">
            App
          </h2>
          <label className={row}>
            <span>
              Start/stop shortcut (anywhere)
              <span className="block text-xs text-muted">{hostKind === "electron" ? "An Electron accelerator, e.g. CommandOrControl+Shift+Space." : "Works in the desktop app; in browser mode use Ctrl+Enter in the window."}</span>
            </span>
            <input className={`${input} w-64`} defaultValue={p.globalShortcut} onBlur={(e) => e.target.value && save.mutate({ globalShortcut: e.target.value })} />
          </label>
          <label className={row}>
            <span>Start Hoursync when I log in</span>
            <input type="checkbox" checked={p.startAtLogin} onChange={(e) => save.mutate({ startAtLogin: e.target.checked })} />
          </label>
          <label className={row}>
            <span>Start minimized (in the tray)</span>
            <input type="checkbox" checked={p.startMinimized} onChange={(e) => save.mutate({ startMinimized: e.target.checked })} />
          </label>
          <label className={row}>
            <span>
              Sync every (seconds)
              <span className="block text-xs text-muted">Applies at once. Changes also sync right after you make them when online.</span>
            </span>
            <input className={`${input} w-24`} type="number" min={15} max={3600} defaultValue={p.syncIntervalSeconds} onBlur={(e) => save.mutate({ syncIntervalSeconds: Number(e.target.value) } as Partial<Preferences>)} />
          </label>
        </section>
        <section aria-labelledby="s-account" className="mt-6">
          <h2 id="s-account" className="text-sm font-semibold text-muted uppercase">
            Account
          </h2>
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
        </section>
      </div>
    </div>
  );
}
