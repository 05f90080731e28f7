import type { QueryClient } from "@tanstack/react-query";

/**
 * After the window moves to another workspace: nothing of the previous one may show for a
 * moment, so every answer but the session's goes back to empty and the open screens read afresh.
 * Reset, not removed: a removed query would leave its open screen holding an orphan that no
 * later change event reaches (the screen showed the old workspace until something re-rendered it).
 */
export async function readAfreshForWorkspace(client: QueryClient): Promise<void> {
  await Promise.all([
    client.resetQueries({ predicate: (q) => q.queryKey[0] !== "session" }),
    client.invalidateQueries({ queryKey: ["session"] }),
  ]);
}
