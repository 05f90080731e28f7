/**
 * How long a deleted entry can be brought back. Sync holds a deletion this long before sending
 * it, so undo cancels it locally and the server never loses the entry (or its files). The undo
 * toast shows for less than this, so its button never offers what the core must refuse.
 */
export const UNDO_DELETE_MS = 10_000;
