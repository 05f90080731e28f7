import { errorText, reasonOf } from "../../lib/errors";

/**
 * The server's refusals of an admin's change, in words about the thing changed (`what`: "project",
 * "client"...): taken names, things still in use, the last owner.
 */
export function refusalWords(err: unknown, what: string): string {
  switch (reasonOf(err)) {
    case "DUPLICATE":
      return `A ${what} with that name already exists. Choose another name.`;
    case "IN_USE":
      return `This ${what} is still in use (time or other records refer to it). Archive it instead.`;
    case "LAST_OWNER":
      return "This is the workspace's only owner. Make someone else an owner first, then change or remove this one.";
    case "OFFLINE":
      return "Not saved: the server cannot be reached. Try again when you are online.";
    case "FORBIDDEN":
      return `You are not allowed to do this: ${errorText(err).replace(/\.$/, "")}.`;
    case "NOT_FOUND":
      return `This ${what} no longer exists (someone may have deleted it). The list is refreshed.`;
    default:
      return errorText(err);
  }
}
