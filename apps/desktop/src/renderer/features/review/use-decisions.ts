import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/trpc";

type Queue = { data: { id: string }[]; fetchedAt: number; stale: boolean };
const QUEUE_KEY = ["online", "timesheets.pending"] as const;

export type Decision = { ids: string[]; action: "approve" } | { ids: string[]; action: "reject"; comment: string };

/**
 * Approve or reject one or several timesheets. The queue drops them at once (optimistic); a
 * refusal puts them back and says why. The employee's device learns it on its next sync.
 */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (d: Decision) => {
      const failed: { id: string; err: unknown }[] = [];
      for (const id of d.ids) {
        const input = d.action === "approve" ? { id } : { id, comment: d.comment };
        await api.online.mutate.mutate({ path: `timesheets.${d.action}`, input }).catch((err: unknown) => failed.push({ id, err }));
      }
      if (failed.length) throw failed[0]!.err;
    },
    onMutate: async (d) => {
      await client.cancelQueries({ queryKey: QUEUE_KEY });
      const before = client.getQueriesData<Queue>({ queryKey: QUEUE_KEY });
      client.setQueriesData<Queue>({ queryKey: QUEUE_KEY }, (q) => (q ? { ...q, data: q.data.filter((s) => !d.ids.includes(s.id)) } : q));
      return { before };
    },
    onError: (_err, _d, ctx) => {
      for (const [key, data] of ctx?.before ?? []) client.setQueryData(key, data);
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["online"] }),
  });
}
