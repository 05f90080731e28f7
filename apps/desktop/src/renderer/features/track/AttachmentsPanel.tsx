import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { formatNumber } from "../../lib/dates";
import { errorText, refusalText } from "../../lib/errors";
import { keys } from "../../lib/query-keys";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";

const STATE: Record<string, string> = {
  queued: "Waiting to upload",
  uploaded: "Uploaded",
  rejected: "Refused",
  "remote-only": "On the server",
  downloaded: "Downloaded",
};

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1] ?? "");
    reader.onerror = () => reject(new Error("The file cannot be read"));
    reader.readAsDataURL(file);
  });
}

/**
 * An entry's files: list with their upload state, add (file picker), open, remove. Works offline
 * (uploads wait). `readOnly` (a locked period): files can be opened, not added or removed.
 */
export function AttachmentsPanel({ entryId, readOnly = false }: { entryId: string; readOnly?: boolean }) {
  const picker = useRef<HTMLInputElement>(null);
  const list = useQuery({ queryKey: keys.attachments(entryId), queryFn: () => api.attachments.list.query({ entryId }) });
  const add = useMutation({
    mutationFn: async (file: File) => api.attachments.attachBytes.mutate({ entryId, name: file.name, base64: await readBase64(file) }),
  });
  const remove = useMutation({ mutationFn: (id: string) => api.attachments.remove.mutate({ id }) });
  const open = useMutation({
    mutationFn: async (id: string) => {
      const file = await api.attachments.content.mutate({ id });
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
      const a = document.createElement("a");
      a.href = url;
      a.download = file.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  const error = add.error ?? remove.error ?? open.error;
  return (
    <section aria-label="Attachments" className="mx-5 mb-2 rounded-md border border-line bg-panel p-2 text-sm">
      {list.data?.length === 0 && <p className="text-muted">No files on this entry.</p>}
      <ul className="flex flex-col gap-1">
        {list.data?.map((a) => (
          <li key={a.id} className="flex items-center gap-2" data-testid="attachment">
            <span className="flex-1 truncate">{a.name}</span>
            <span className="tabular text-xs text-muted">{formatNumber(Math.ceil(a.sizeBytes / 1024))} KB</span>
            <span className={`text-xs ${a.state === "rejected" ? "text-danger" : "text-muted"}`} data-testid="attachment-state">
              {STATE[a.state] ?? a.state}
              {a.rejection ? `: ${refusalText(a.rejection.reason, a.rejection.message)}` : ""}
            </span>
            <Button variant="ghost" onClick={() => open.mutate(a.id)}>
              Open
            </Button>
            {!readOnly && (
              <Button variant="ghost" onClick={() => remove.mutate(a.id)}>
                Remove
              </Button>
            )}
          </li>
        ))}
      </ul>
      <input
        ref={picker}
        type="file"
        className="hidden"
        aria-label="Choose a file to attach"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) add.mutate(file);
          e.target.value = "";
        }}
      />
      <Button className="mt-2" onClick={() => picker.current?.click()} disabled={add.isPending || readOnly}>
        {add.isPending ? "Attaching…" : "Add file…"}
      </Button>
      {error && (
        <p role="alert" className="mt-1 text-danger">
          {errorText(error)}
        </p>
      )}
    </section>
  );
}
