import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { retryAfterSeconds, type LimiterBackend } from "./backend.js";
import { RateLimitedError } from "./errors.js";

export interface LoginThrottleOptions {
  /** Failed log-ins of one account that cost no wait; each one after makes the next attempt wait longer. */
  freeFailsPerAccount: number;
  /** The longest an account's next attempt has to wait (the wait doubles up to it: 1 s, 2 s, 4 s, ...). */
  maxDelaySeconds: number;
  /** Different accounts one address may fail to log in to in an hour before it is blocked. */
  maxAccountsPerIp: number;
  /** How long a blocked address stays blocked. */
  ipBlockSeconds: number;
  /** How long an address is remembered as one an account has signed in from. */
  knownAddressDays: number;
}

/** What `attempt` decided, for `succeeded` and `failed` to finish. */
export interface LoginAttempt {
  /** The key the attempt was counted under: the account, or (account, address) for a known address. */
  scope: string;
  /** This attempt was the address's first failure on this account this hour (counted up front). */
  newAccountForIp: boolean;
  /** The attempt came after the free failures and holds the account's one place for a guess. */
  holdsTurn: boolean;
}

const COUNT_ONLY = 1_000_000_000;
const HOUR = 3600;
/** How long a turn is held while its password is checked (then the wait, or nothing, replaces it). */
const TURN_HOLD_SECONDS = 10;

/**
 * Password guessing, throttled the way OWASP's authentication cheat sheet
 * describes, without handing anyone a way to lock others out:
 *
 * - Per account, a delay that grows: after `freeFailsPerAccount` failures,
 *   one attempt at a time, each waiting 1 s, 2 s, 4 s, ... (at most
 *   `maxDelaySeconds`) after the last failure, answered 429 with
 *   Retry-After until then. Nothing is ever locked for good.
 * - An address that has signed in to an account before (within
 *   `knownAddressDays`) is counted apart for it: a stranger's failures never
 *   delay the owner's own laptop or office, which only its own failures can.
 * - Per address, the number of different accounts it failed on in the last
 *   hour: many accounts from one address is credential stuffing, and past
 *   `maxAccountsPerIp` the address is blocked for `ipBlockSeconds`, except
 *   for accounts it has signed in to before. Repeated failures on one
 *   account count once, so an office whose people mistype their own
 *   passwords never gets there.
 *
 * Every count is taken before the password is checked, in one atomic step
 * each, so parallel guesses get no more checks than sequential ones; a
 * success (or a refusal) takes its attempt back.
 */
export class LoginThrottle {
  private readonly knownAddresses: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;
  /** One key per account (scope): held while a guess past the free ones is checked, then blocked for the delay. */
  private readonly turns: RateLimiterAbstract;
  private readonly accountsSeenFromIp: RateLimiterAbstract;
  private readonly accountsPerIp: RateLimiterAbstract;

  constructor(
    backend: LimiterBackend,
    private readonly opts: LoginThrottleOptions,
  ) {
    this.knownAddresses = backend.limiter({ name: "login-known", points: COUNT_ONLY, durationSeconds: opts.knownAddressDays * 86_400 });
    this.failures = backend.limiter({ name: "login-fails", points: COUNT_ONLY, durationSeconds: 86_400 });
    this.turns = backend.limiter({ name: "login-turn", points: 1, durationSeconds: TURN_HOLD_SECONDS });
    this.accountsSeenFromIp = backend.limiter({ name: "login-ip-account", points: COUNT_ONLY, durationSeconds: HOUR });
    this.accountsPerIp = backend.limiter({
      name: "login-ip-accounts",
      points: opts.maxAccountsPerIp,
      durationSeconds: HOUR,
      blockSeconds: opts.ipBlockSeconds,
    });
  }

  /** Throws RateLimitedError when this attempt must wait; else counts it (as a failure until `succeeded`). */
  async attempt(email: string, ip: string): Promise<LoginAttempt> {
    const known = (await this.knownAddresses.get(addressKey(email, ip))) !== null;
    const scope = known ? addressKey(email, ip) : email;
    let newAccountForIp = false;
    if (!known) {
      const address = await this.accountsPerIp.get(ip);
      if (address && address.consumedPoints > this.opts.maxAccountsPerIp) throw limited(address);
      newAccountForIp = (await this.accountsSeenFromIp.consume(addressKey(email, ip))).consumedPoints === 1;
      if (newAccountForIp) await this.accountsPerIp.consume(ip).catch(rethrowLimited);
    }
    const failed = (await this.failures.consume(scope)).consumedPoints;
    const holdsTurn = failed > this.opts.freeFailsPerAccount;
    if (holdsTurn) {
      try {
        await this.turns.consume(scope);
      } catch (rejection) {
        // Not this attempt's turn: it is not checked, so it counts for nothing.
        await this.takeBack(email, ip, { scope, newAccountForIp, holdsTurn: false });
        rethrowLimited(rejection);
      }
    }
    return { scope, newAccountForIp, holdsTurn };
  }

  /** A wrong password: past the free failures, the next attempt waits twice as long as the last one did. */
  async failed(attempt: LoginAttempt): Promise<void> {
    if (!attempt.holdsTurn) return;
    const failed = (await this.failures.get(attempt.scope))?.consumedPoints ?? 1;
    const beyondFree = Math.max(1, failed - this.opts.freeFailsPerAccount);
    await this.turns.block(attempt.scope, Math.min(2 ** (beyondFree - 1), this.opts.maxDelaySeconds));
  }

  /**
   * The right password: the failures counted under this attempt's key are
   * cleared and the address is known to the account from now on. A success
   * from the owner's usual address clears only that address's count: it must
   * not reset the wait a stranger has built up on the account.
   */
  async succeeded(email: string, ip: string, attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.failures.delete(attempt.scope),
      this.turns.delete(attempt.scope),
      this.knownAddresses.consume(addressKey(email, ip)),
      ...this.ipCountUndone(email, ip, attempt),
    ]);
  }

  /** `ip` proved it is the account's (it confirmed the account's sign-up): known from now on. */
  async remember(email: string, ip: string): Promise<void> {
    await this.knownAddresses.consume(addressKey(email, ip));
  }

  /** The password was never checked (the server was too busy to): the attempt counts for nothing. */
  async notChecked(email: string, ip: string, attempt: LoginAttempt): Promise<void> {
    await this.takeBack(email, ip, attempt);
    if (attempt.holdsTurn) await this.turns.delete(attempt.scope);
  }

  private async takeBack(email: string, ip: string, attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.failures.reward(attempt.scope), ...this.ipCountUndone(email, ip, attempt)]);
  }

  private ipCountUndone(email: string, ip: string, attempt: LoginAttempt): Promise<unknown>[] {
    if (!attempt.newAccountForIp) return [];
    return [this.accountsSeenFromIp.delete(addressKey(email, ip)), this.accountsPerIp.reward(ip)];
  }
}

const addressKey = (email: string, ip: string) => `${email}|${ip}`;

function limited(res: unknown): RateLimitedError {
  return new RateLimitedError("login", retryAfterSeconds(res) ?? 1);
}

function rethrowLimited(rejection: unknown): never {
  if (retryAfterSeconds(rejection) !== null) throw limited(rejection);
  throw rejection;
}
