import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { keys } from "../../lib/query-keys";
import { api, type LocalInputs } from "../../lib/trpc";

export type ExportRequest = LocalInputs["exports"]["start"];

/**
 * One CSV export at a time: the core fetches it with the session and writes it where the person
 * picked (Electron) or keeps it for one download (browser), announcing its progress on the change
 * feed. In a browser the finished file is handed over with a link click, so it lands in the
 * browser's downloads like any other.
 */
export function useCsvExport() {
  const [id, setId] = useState<string | null>(null);
  const fetched = useRef<string | null>(null);
  const start = useMutation({
    mutationFn: (req: ExportRequest) => api.exports.start.mutate(req),
    onSuccess: (started) => setId(started?.id ?? null),
  });
  const progress = useQuery({
    queryKey: keys.exportProgress(id ?? ""),
    queryFn: () => api.exports.progress.query({ id: id! }),
    enabled: id !== null,
  });
  const p = progress.data ?? start.data ?? null;
  useEffect(() => {
    if (p?.state === "done" && p.downloadPath && fetched.current !== p.id) {
      fetched.current = p.id;
      const a = document.createElement("a");
      a.href = p.downloadPath;
      a.download = p.fileName;
      document.body.append(a);
      a.click();
      a.remove();
    }
  }, [p]);
  return { start: start.mutate, starting: start.isPending, error: start.error, progress: id ? p : null, cancelled: start.isSuccess && start.data === null };
}
