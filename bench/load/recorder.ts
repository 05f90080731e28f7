import { percentile } from "../stats.js";

/** One procedure's figures over a phase. */
export interface ProcedureFigures {
  procedure: string;
  calls: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Failed calls by error code. */
  errors: Record<string, number>;
}

/** Latencies and errors per procedure, for one group of callers over one phase. */
export class Recorder {
  private readonly ms = new Map<string, number[]>();
  private readonly errors = new Map<string, Record<string, number>>();
  private startedAt = performance.now();
  private endedAt: number | null = null;

  /** Times `call`; a failure is counted under its code and not rethrown. Returns whether it succeeded. */
  async time(procedure: string, call: () => Promise<unknown>): Promise<boolean> {
    const t = performance.now();
    try {
      await call();
      const list = this.ms.get(procedure) ?? [];
      list.push(performance.now() - t);
      this.ms.set(procedure, list);
      return true;
    } catch (err) {
      this.error(procedure, codeOf(err));
      return false;
    }
  }

  error(procedure: string, code: string): void {
    const e = this.errors.get(procedure) ?? {};
    e[code] = (e[code] ?? 0) + 1;
    this.errors.set(procedure, e);
  }

  restart(): void {
    this.ms.clear();
    this.errors.clear();
    this.startedAt = performance.now();
    this.endedAt = null;
  }

  stop(): void {
    this.endedAt = performance.now();
  }

  get seconds(): number {
    return ((this.endedAt ?? performance.now()) - this.startedAt) / 1000;
  }

  figures(): ProcedureFigures[] {
    const names = [...new Set([...this.ms.keys(), ...this.errors.keys()])].sort();
    return names.map((procedure) => this.one(procedure, this.ms.get(procedure) ?? [], this.errors.get(procedure) ?? {}));
  }

  /** Every procedure together. */
  overall(): ProcedureFigures {
    const all = [...this.ms.values()].flat();
    const errors: Record<string, number> = {};
    for (const e of this.errors.values()) for (const [code, n] of Object.entries(e)) errors[code] = (errors[code] ?? 0) + n;
    return this.one("all", all, errors);
  }

  private one(procedure: string, ms: number[], errors: Record<string, number>): ProcedureFigures {
    const failed = Object.values(errors).reduce((a, b) => a + b, 0);
    return {
      procedure,
      calls: ms.length + failed,
      perSecond: ms.length / this.seconds,
      p50: ms.length ? percentile(ms, 50) : NaN,
      p95: ms.length ? percentile(ms, 95) : NaN,
      p99: ms.length ? percentile(ms, 99) : NaN,
      max: ms.length ? Math.max(...ms) : NaN,
      errors,
    };
  }
}

function codeOf(err: unknown): string {
  const data = (err as { data?: { code?: unknown } } | null)?.data;
  if (data && typeof data.code === "string") return data.code;
  return (err as Error | null)?.name ?? "UNKNOWN";
}
