import { randomUUID } from "node:crypto";
import type { Role } from "../../server/src/contract/common.js";
import type { Mailbox } from "./mailbox.js";
import type { ApiClient, TestServer } from "./server.js";

export interface Person {
  userId: string;
  email: string;
  token: string;
  /** Signed in, naming `workspaceId`. */
  api: ApiClient;
}

export interface Company {
  workspaceId: string;
  owner: Person;
  /** Adds a member with `role` through a real invitation, signed in and naming this workspace. */
  hire(role: Role, label?: string): Promise<Person>;
}

const PASSWORD = "correct horse battery staple";

/** Where a person signs up: an anonymous client of the server, and the inbox its mails land in. */
export interface SignUpDesk {
  client(): ApiClient;
  mailbox: Mailbox;
}

type SignUpInput = Parameters<ApiClient["auth"]["signUp"]["mutate"]>[0];

/** A sign-up as a person makes it: ask, read the code in the mail, confirm. Answers the session and workspace. */
export async function signUpConfirmed(desk: SignUpDesk, input: SignUpInput) {
  const anonymous = desk.client();
  await anonymous.auth.signUp.mutate(input);
  return anonymous.auth.confirmSignUp.mutate({ code: desk.mailbox.codeFor(input.email) });
}

/** Signs up a new owner with a new workspace. */
export async function createCompany(server: TestServer, name = "Company"): Promise<Company> {
  const email = `owner-${randomUUID()}@example.test`;
  const res = await signUpConfirmed(server, { email, password: PASSWORD, name: `${name} owner`, workspaceName: name });
  const workspaceId = res.workspaceId;
  const owner: Person = {
    userId: res.user.id,
    email,
    token: res.token,
    api: server.client({ token: res.token, workspaceId }),
  };
  return {
    workspaceId,
    owner,
    async hire(role, label = role.toLowerCase()) {
      const hireEmail = `${label}-${randomUUID()}@example.test`;
      const inv = await owner.api.members.invite.mutate({ email: hireEmail, role });
      const joined = await signUpConfirmed(server, { email: hireEmail, password: PASSWORD, name: label, invitationToken: inv.token });
      return {
        userId: joined.user.id,
        email: hireEmail,
        token: joined.token,
        api: server.client({ token: joined.token, workspaceId }),
      };
    },
  };
}

export { PASSWORD as TEST_PASSWORD };
