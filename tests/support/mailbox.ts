import { CODE_LINE } from "../../server/src/auth/sign-up-mails.js";
import type { Mailer, MailMessage } from "../../server/src/jobs/mailer.js";

/** A mailer that keeps what it is given, for tests to read as a person reads their inbox. */
export class Mailbox implements Mailer {
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }

  /** Every mail to `email`, oldest first. */
  to(email: string): MailMessage[] {
    // Addresses are kept in lower case, as the server stores them.
    return this.sent.filter((m) => m.to.toLowerCase() === email.toLowerCase());
  }

  /** Every confirmation code mailed to `email`, oldest first. */
  codesFor(email: string): string[] {
    return this.to(email)
      .filter((m) => m.text.includes(CODE_LINE))
      .map((m) => m.text.split(CODE_LINE)[1]!.split("\n")[0]!.trim());
  }

  /** The confirmation code of the latest mail to `email` that has one. */
  codeFor(email: string): string {
    const last = this.codesFor(email).at(-1);
    if (!last) throw new Error(`No confirmation code was mailed to ${email}`);
    return last;
  }
}
