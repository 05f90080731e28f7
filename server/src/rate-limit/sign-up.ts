import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { retryAfterSeconds, type LimiterBackend } from "./backend.js";
import { RateLimitedError } from "./errors.js";

/** Mails one address may be sent by sign-ups in an hour: enough to retry, too few to bomb an inbox. */
const MAILS_PER_ADDRESS_PER_HOUR = 5;

/**
 * Sign-ups cost a password hash and a mail each, and nobody is signed in yet
 * to charge them to: they are counted per address (`perIpPerHour`), and the
 * mails per e-mail address, so sign-ups can neither flood the server with
 * accounts nor flood someone's inbox with confirmation codes.
 */
export class SignUpThrottle {
  private readonly byIp: RateLimiterAbstract;
  private readonly mailsByAddress: RateLimiterAbstract;

  constructor(backend: LimiterBackend, perIpPerHour: number) {
    this.byIp = backend.limiter({ name: "sign-up-ip", points: perIpPerHour, durationSeconds: 3600 });
    this.mailsByAddress = backend.limiter({ name: "sign-up-mail", points: MAILS_PER_ADDRESS_PER_HOUR, durationSeconds: 3600 });
  }

  /** Counts a sign-up from `ip`; throws RateLimitedError (429, Retry-After) beyond the hourly limit. */
  async attempt(ip: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
    } catch (rejection) {
      const wait = retryAfterSeconds(rejection);
      if (wait === null) throw rejection;
      throw new RateLimitedError("sign-up", wait);
    }
  }

  /**
   * Whether another sign-up mail may go to `email` this hour. Past the limit
   * the sign-up is answered as usual and no mail is sent: the answer must not
   * depend on the address, and the earlier mails are still in the inbox.
   */
  async mayMail(email: string): Promise<boolean> {
    try {
      await this.mailsByAddress.consume(email);
      return true;
    } catch (rejection) {
      if (retryAfterSeconds(rejection) === null) throw rejection;
      return false;
    }
  }
}
