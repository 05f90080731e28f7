import superjson from "superjson";
import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

export interface StoredAnswer {
  answer: unknown;
  fetchedAt: number;
}

/** The last answer of each online read, per workspace: what an offline view shows, marked as not current. */
export class OnlineAnswerStore {
  private readonly sql: PreparedStatements;

  constructor(db: LocalDb) {
    this.sql = statementCache(db);
  }

  get(ws: string, call: string): StoredAnswer | null {
    const row = this.sql("SELECT answer, fetched_at FROM online_answers WHERE workspace_id = ? AND call = ?").get(ws, call) as
      | { answer: string; fetched_at: number }
      | undefined;
    return row ? { answer: superjson.parse(row.answer), fetchedAt: row.fetched_at } : null;
  }

  put(ws: string, call: string, answer: unknown, fetchedAt: number): void {
    this.sql("INSERT OR REPLACE INTO online_answers (workspace_id, call, answer, fetched_at) VALUES (?, ?, ?, ?)").run(
      ws,
      call,
      superjson.stringify(answer),
      fetchedAt,
    );
  }
}
