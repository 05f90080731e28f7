import { powerMonitor } from "electron";
import { decideIdle } from "../core/attention/policy.js";
import type { DesktopCore } from "../core/desktop-core.js";
import { timerFacts } from "./timer-facts.js";

/**
 * Feeds the idle policy Electron's signals: the system idle time (checked every 30 s), and sleep
 * or a locked screen, which count as idle from that moment. The policy decides; the core asks.
 */
export function installIdleMonitor(core: DesktopCore, onAsk: () => void, everyMs = 30_000): () => void {
  let asleepSince: number | null = null;
  const check = () => {
    const facts = timerFacts(core);
    if (!facts) return;
    const now = Date.now();
    const decision = decideIdle(core.preferences(), now, powerMonitor.getSystemIdleTime(), facts, asleepSince);
    if (decision.kind === "ask" && core.idle.report(core.scope(), decision.idleSince)) onAsk();
  };
  const sleep = () => {
    asleepSince ??= Date.now();
  };
  const wake = () => {
    check();
    asleepSince = null;
  };
  powerMonitor.on("suspend", sleep);
  powerMonitor.on("lock-screen", sleep);
  powerMonitor.on("resume", wake);
  powerMonitor.on("unlock-screen", wake);
  const timer = setInterval(check, everyMs);
  return () => {
    clearInterval(timer);
    powerMonitor.off("suspend", sleep);
    powerMonitor.off("lock-screen", sleep);
    powerMonitor.off("resume", wake);
    powerMonitor.off("unlock-screen", wake);
  };
}
