// Who is asking. Until accounts exist (the people-and-trust issue) a browser is known by a reviewer name kept in
// the `studio_user` cookie, which proxy.ts gives every new browser ("reviewer-3f9a2c"); the name is what the review
// queue claims with and what decisions are recorded under (`human:<name>`). Replace this body, not its callers.
import { cookies } from "next/headers";
import type { Role } from "./require-role";
import { USER_COOKIE, isValidUserName } from "./user-name";

export interface CurrentUser {
  name: string;
  role: Role;
}

export async function currentUser(): Promise<CurrentUser> {
  const value = (await cookies()).get(USER_COOKIE)?.value;
  return { name: isValidUserName(value) ? value : "anonymous", role: "admin" };
}

/** How a person is written in verdicts, revisions and decisions. */
export function humanAuthor(user: Pick<CurrentUser, "name">): string {
  return `human:${user.name}`;
}
