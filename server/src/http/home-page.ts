import { readFileSync } from "node:fs";
import path from "node:path";

const version = (() => {
  try {
    return (JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
})();

/**
 * What a person sees opening the server's address in a browser: this is an API for the desktop
 * app, not a website, so the page says what it is and how to connect the app to it.
 */
export function homePage(origin: string, database: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hoursync server</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  code { font-family: ui-monospace, monospace; background: color-mix(in srgb, currentColor 10%, transparent); padding: 0 .25rem; border-radius: 4px; }
</style></head>
<body>
<h1>Hoursync server</h1>
<p>This is the sync server of Hoursync, the offline-first time tracker (version ${version}, database: ${database}). It serves the desktop app's API; there is nothing to click here.</p>
<h2>Connect the desktop app</h2>
<ol>
  <li>Start the app (<code>npm start</code> starts this server and the app together; <code>npm run desktop</code> starts the app alone).</li>
  <li>On the sign-in screen, use the server address <code>${origin}</code> (it is filled in for you when the app runs on this machine).</li>
  <li>Sign in with your account. On a demo database: <code>employee@acme.test</code> with the password <code>hoursync-demo</code>; the README lists the other demo logins.</li>
</ol>
<p>API: <code>/trpc</code> &middot; health: <a href="/healthz"><code>/healthz</code></a></p>
</body></html>`;
}
