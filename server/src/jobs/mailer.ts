/** Where e-mail goes. Development logs it; a real deployment plugs an SMTP or API sender in here. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export function loggingMailer(log: (level: "info", msg: string, extra?: Record<string, unknown>) => void): Mailer {
  return {
    send: async ({ to, subject }) => log("info", "e-mail (development: logged, not sent)", { to, subject }),
  };
}
