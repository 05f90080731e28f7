import { useMutation } from "@tanstack/react-query";
import { errorText } from "../../lib/errors";
import { openBytes } from "../../lib/open-file";
import { api } from "../../lib/trpc";
import { Button } from "../../ui/Button";

interface FileInfo {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
}

const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

/** An entry's files on someone's timesheet, opened through the core from the server's download route. */
export function EntryFiles({ files }: { files: FileInfo[] }) {
  const open = useMutation({
    mutationFn: async (f: FileInfo) => openBytes(f.name, f.contentType, (await api.review.attachment.mutate({ id: f.id })).base64),
  });
  if (files.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 pl-5 text-xs">
      {files.map((f) => (
        <Button key={f.id} variant="ghost" className="h-6 px-2 text-xs" data-testid="review-attachment" onClick={() => open.mutate(f)}>
          <span aria-hidden>⎘</span> {f.name} <span className="text-muted">{kb(f.sizeBytes)}</span>
        </Button>
      ))}
      {open.isError && (
        <span role="alert" className="text-danger">
          {errorText(open.error)}
        </span>
      )}
    </div>
  );
}
