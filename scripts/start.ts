// `npm start` (server + desktop app), `npm run desktop` (--desktop-only), `npm run dev` (--dev: hot reload).
// The desktop is Electron where its binary is installed, otherwise the same renderer in a browser
// through the core's HTTP bridge (browser mode), pointed at the server this script started.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { startBrowserHost } from "../apps/desktop/src/host/browser-host.js";
import { buildRenderer, rendererIsStale } from "./lib/renderer-build.js";
import { waitForServer } from "./lib/wait-for-server.js";
// @ts-expect-error plain ESM helper shared with the postinstall script
import { electronBinary } from "./electron-binary.mjs";

const root = path.resolve(import.meta.dirname, "..");
const desktopOnly = process.argv.includes("--desktop-only");
const dev = process.argv.includes("--dev");
const children: ChildProcess[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

async function main() {
  let serverUrl: string | undefined;
  if (!desktopOnly) {
    const port = process.env.PORT ?? "4100";
    serverUrl = `http://127.0.0.1:${port}`;
    const server = run(process.execPath, ["--import", "tsx", "server/src/main.ts", "serve"]);
    server.on("exit", (code) => {
      console.log(`The server stopped (exit code ${code}).`);
      shutdown(code ?? 1);
    });
    await waitForServer(serverUrl);
  }

  const binary = electronBinary() as { path: string | null; reason?: string };
  if (binary.path) {
    const env = serverUrl ? { HOURSYNC_SERVER_URL: serverUrl } : {};
    const bin = path.join(root, "node_modules", ".bin", "electron-vite");
    const electron = dev ? run(bin, ["dev"], env) : run(bin, ["preview"], env);
    electron.on("exit", () => shutdown(0));
    return;
  }

  console.log(`\nDesktop app: browser mode, because ${binary.reason}.`);
  console.log("  (The same app as the Electron window: its real offline core runs here, its screens in your browser.)");
  const dataDir = path.join(root, ".hoursync-data", "desktop");
  if (dev) {
    const host = await startBrowserHost({ dataDir, serverUrl });
    const { createServer } = await import("vite");
    const vite = await createServer({
      configFile: path.join(root, "apps/desktop/renderer.vite.config.ts"),
      server: { host: "127.0.0.1", proxy: { "/local-api": new URL(host.url).origin } },
    });
    await vite.listen();
    const local = vite.resolvedUrls?.local[0] ?? "http://127.0.0.1:5173/";
    console.log(`  Open ${local}#key=${host.key}  (hot reload; the key is new at every launch)`);
    return;
  }
  if (rendererIsStale(root)) await buildRenderer(root);
  const host = await startBrowserHost({ dataDir, serverUrl, rendererDir: path.join(root, "out", "renderer") });
  console.log(`  Open ${host.url}`);
  console.log("  (the key after # is new at every launch and keeps other programs on this machine out)");
  const stop = () => void host.close().then(() => shutdown(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function shutdown(code: number) {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
  setTimeout(() => process.exit(code), 3000).unref();
}

process.once("SIGINT", () => shutdown(0));
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  shutdown(1);
});
