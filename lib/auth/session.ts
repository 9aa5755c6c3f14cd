// The signed-in person of a request, from its session cookie (better-auth), or null.
import "server-only";
import { getAuth } from "./auth";
import { isRole, type Role } from "./roles";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export async function sessionUser(headers: Headers): Promise<CurrentUser | null> {
  const session = await (await getAuth()).api.getSession({ headers });
  if (!session) return null;
  const { id, email, name } = session.user;
  const role = (session.user as { role?: unknown }).role;
  return { id, email, name, role: isRole(role) ? role : "viewer" };
}
