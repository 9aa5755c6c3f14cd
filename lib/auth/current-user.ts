// Who is asking: the signed-in person of this request (better-auth session cookie), or null.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getAuth } from "./auth";
import { isRole, type Role } from "./roles";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Once per request (React cache): pages, layouts and actions of one request share the lookup. */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await (await getAuth()).api.getSession({ headers: await headers() });
  if (!session) return null;
  const { id, email, name } = session.user;
  const role = (session.user as { role?: unknown }).role;
  return { id, email, name, role: isRole(role) ? role : "viewer" };
});

/** How a person is written in verdicts, revisions and decisions: `human:<email>`. */
export function humanAuthor(user: Pick<CurrentUser, "email">): string {
  return `human:${user.email}`;
}
