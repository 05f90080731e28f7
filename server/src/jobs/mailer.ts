/** Where e-mail goes. Development logs it; a real deployment plugs an SMTP or API sender in here. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The development mailer: nothing is sent, every message is logged whole
 * (sign-up confirmation codes included, so a developer can confirm an
 * account). Never the mailer of a real deployment.
 */
export function loggingMailer(log: (level: "info", msg: string, extra?: Record<string, unknown>) => void): Mailer {
  return {
    send: async ({ to, subject, text }) => log("info", "e-mail (development: logged, not sent)", { to, subject, text }),
  };
}
