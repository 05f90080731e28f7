import type { MailMessage } from "../jobs/mailer.js";

/** What a confirmation code looks like in a mail, so clients (and tests) can find it. */
export const CODE_LINE = "Confirmation code: ";

/** To a new address: the code that turns the sign-up into an account. */
export function confirmationMail(to: string, code: string, validHours: number): MailMessage {
  return {
    to,
    subject: "Hoursync: confirm your e-mail address",
    text: [
      "Someone (we hope you) signed up for Hoursync with this address.",
      "To finish, enter this code in Hoursync:",
      "",
      `${CODE_LINE}${code}`,
      "",
      `It works once, for ${validHours} hours. If it was not you, ignore this mail: no account is made without it.`,
    ].join("\n"),
  };
}

/** To an address that has an account: no code, only what to do instead. */
export function alreadySignedUpMail(to: string): MailMessage {
  return {
    to,
    subject: "Hoursync: you already have an account",
    text: [
      "Someone (we hope you) tried to sign up for Hoursync with this address, which already has an account.",
      "Log in with your password instead; to join a workspace you were invited to, log in and accept the invitation.",
      "If it was not you, ignore this mail: nothing has changed.",
    ].join("\n"),
  };
}
