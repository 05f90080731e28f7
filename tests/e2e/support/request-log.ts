/**
 * A fetch for the desktop core that remembers its last requests to the server (path, workspace,
 * when it left, how long it took, how it ended), so a step that waits in vain can say what the
 * core was doing meanwhile.
 */
export function loggingFetch(keep = 40) {
  const log: string[] = [];
  const t0 = Date.now();
  const note = (line: string) => {
    log.push(line);
    if (log.length > keep) log.shift();
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const workspace = new Headers(init?.headers).get("x-hoursync-workspace")?.slice(0, 8) ?? "-";
    const started = Date.now();
    const what = `${((started - t0) / 1000).toFixed(1)}s ${init?.method ?? "GET"} ${url.pathname} ws=${workspace}`;
    try {
      const res = await fetch(input, init);
      note(`${what} -> ${res.status} in ${Date.now() - started} ms`);
      return res;
    } catch (err) {
      note(`${what} -> ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} after ${Date.now() - started} ms`);
      throw err;
    }
  };
  return { fetch: fetchImpl, recent: () => log.join("\n") };
}
