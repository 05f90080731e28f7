import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@hoursync/contract";
import { useState } from "react";
import { errorText } from "../../lib/errors";
import { Button } from "../../ui/Button";

export type CsvImportInput = inferRouterInputs<AppRouter>["csvImport"]["entries"];
export type CsvImportResult = inferRouterOutputs<AppRouter>["csvImport"]["entries"];

/** The server's limit (contract/csv-import.ts): said before the file is sent. */
const MAX_BYTES = 4 * 1024 * 1024;
const control = "h-8 rounded-md border border-line bg-canvas px-2 text-sm";

interface Props {
  /** The workspace's zone, offered as the file's. */
  defaultTimeZone: string;
  run: (input: CsvImportInput) => Promise<CsvImportResult>;
}

/**
 * Pick a Toggl Track or Clockify CSV, see what the server would make of it (a dry run: every row
 * it would refuse, and why), then import. Changing an option asks again.
 */
export function CsvImportFlow({ defaultTimeZone, run }: Props) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [options, setOptions] = useState({ format: "auto" as CsvImportInput["format"], dateOrder: "auto" as CsvImportInput["dateOrder"], timeZone: defaultTimeZone, createMissing: true });
  const [preview, setPreview] = useState<CsvImportResult | null>(null);
  const [done, setDone] = useState<CsvImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const ask = async (text: string, opts: typeof options, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await run({ csv: text, ...opts, dryRun });
      if (dryRun) setPreview(result);
      else {
        setDone(result);
        setPreview(null);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const pick = async (picked: File | undefined) => {
    setDone(null);
    setPreview(null);
    if (!picked) return setFile(null);
    if (picked.size > MAX_BYTES) {
      setFile(null);
      return setError("This file is larger than 4 MB. Export a shorter range and import the parts.");
    }
    const text = await picked.text();
    setFile({ name: picked.name, text });
    await ask(text, options, true);
  };

  const change = (next: Partial<typeof options>) => {
    const merged = { ...options, ...next };
    setOptions(merged);
    if (file && !done) void ask(file.text, merged, true);
  };

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted">
        Bring time over from Toggl Track or Clockify: export a <strong>Detailed report as CSV</strong> there and pick it here. Nothing is
        imported until you have seen what will happen.
      </p>
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Import options">
        <label className="flex flex-col gap-1 text-sm">
          CSV file
          <input type="file" accept=".csv,text/csv" className="text-sm" onChange={(e) => void pick(e.target.files?.[0])} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Exported from
          <select className={control} value={options.format} onChange={(e) => change({ format: e.target.value as CsvImportInput["format"] })}>
            <option value="auto">Tell from the file</option>
            <option value="toggl">Toggl Track</option>
            <option value="clockify">Clockify</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Dates like 03/04
          <select className={control} value={options.dateOrder} onChange={(e) => change({ dateOrder: e.target.value as CsvImportInput["dateOrder"] })}>
            <option value="auto">Tell from the file</option>
            <option value="DMY">Day first (3 April)</option>
            <option value="MDY">Month first (March 4)</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Times are in
          <input className={`${control} w-44`} value={options.timeZone} onChange={(e) => setOptions({ ...options, timeZone: e.target.value })} onBlur={() => change({})} />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={options.createMissing} onChange={(e) => change({ createMissing: e.target.checked })} />
          Create missing projects, clients, tasks and tags
        </label>
      </div>
      {busy && <p className="text-sm text-muted" role="status">Asking the server…</p>}
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="text-sm">
          Imported {done.counts.created} {done.counts.created === 1 ? "entry" : "entries"}
          {done.counts.refused ? `; ${done.counts.refused} ${done.counts.refused === 1 ? "row was" : "rows were"} left out (below).` : "."}
        </p>
      )}
      {preview && file && (
        <div className="flex items-center justify-between gap-3">
          <p className="text-sm" role="status">
            {file.name}: <strong>{preview.counts.accepted}</strong> of {preview.counts.rows} rows will be imported
            {preview.counts.refused ? `, ${preview.counts.refused} refused` : ""}.
          </p>
          <Button variant="primary" disabled={busy || preview.counts.accepted === 0} onClick={() => void ask(file.text, options, false)}>
            Import {preview.counts.accepted} {preview.counts.accepted === 1 ? "entry" : "entries"}
          </Button>
        </div>
      )}
      {(preview ?? done) && <ImportReport result={(preview ?? done)!} />}
    </div>
  );
}

function ImportReport({ result }: { result: CsvImportResult }) {
  const at = new Intl.DateTimeFormat(undefined, { timeZone: result.timeZone, dateStyle: "medium", timeStyle: "short" });
  const time = new Intl.DateTimeFormat(undefined, { timeZone: result.timeZone, timeStyle: "short" });
  const made = [
    ...result.create.clients.map((n) => `client ${n}`),
    ...result.create.projects.map((p) => `project ${p.name}${p.client ? ` (${p.client})` : ""}`),
    ...result.create.tasks.map((t) => `task ${t.name} in ${t.project}`),
    ...result.create.tags.map((n) => `tag ${n}`),
  ];
  return (
    <div className="flex flex-col gap-4">
      {result.refused.length > 0 && (
        <section aria-label="Refused rows">
          <h3 className="mb-1 text-sm font-semibold">Refused rows</h3>
          <table className="w-full text-sm">
            <thead className="text-left text-muted">
              <tr>
                <th className="w-16 py-1 pr-3 font-medium">Row</th>
                <th className="py-1 font-medium">Why</th>
              </tr>
            </thead>
            <tbody>
              {result.refused.map((r) => (
                <tr key={r.row} className="border-t border-line">
                  <td className="py-1 pr-3 tabular-nums">{r.row}</td>
                  <td className="py-1">{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {made.length > 0 && (
        <section aria-label="Created with the import">
          <h3 className="mb-1 text-sm font-semibold">{result.dryRun ? "Will be created" : "Created"}</h3>
          <p className="text-sm">{made.join(" · ")}</p>
        </section>
      )}
      {result.entries.length > 0 && (
        <section aria-label="Entries">
          <h3 className="mb-1 text-sm font-semibold">{result.dryRun ? "Entries to import" : "Imported entries"} (times in {result.timeZone})</h3>
          <table className="w-full text-sm">
            <thead className="text-left text-muted">
              <tr>
                <th className="w-16 py-1 pr-3 font-medium">Row</th>
                <th className="py-1 pr-3 font-medium">Person</th>
                <th className="py-1 pr-3 font-medium">When</th>
                <th className="py-1 pr-3 font-medium">Description</th>
                <th className="py-1 pr-3 font-medium">Project</th>
                <th className="py-1 font-medium">Tags</th>
              </tr>
            </thead>
            <tbody>
              {result.entries.map((e) => (
                <tr key={e.row} className="border-t border-line">
                  <td className="py-1 pr-3 tabular-nums">{e.row}</td>
                  <td className="py-1 pr-3">{e.email}</td>
                  <td className="py-1 pr-3 tabular-nums">
                    {at.format(e.start)}–{time.format(e.end)}
                  </td>
                  <td className="py-1 pr-3">
                    {e.description}
                    {e.billable && <span className="ml-1 text-muted">· billable</span>}
                  </td>
                  <td className="py-1 pr-3">{[e.project, e.task].filter(Boolean).join(" / ")}</td>
                  <td className="py-1">{e.tags.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
