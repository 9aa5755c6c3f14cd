// THE authorization seam: every route handler, server action and page asks here, on the server, before doing
// anything. (proxy.ts only turns away requests without a session cookie early; it proves nothing.)
import "server-only";
import { redirect } from "next/navigation";
import { currentUser, type CurrentUser } from "./current-user";
import { hasRole, type Role } from "./roles";

export type { Role } from "./roles";

const json = (status: number, error: string) => Response.json({ error }, { status });

/** The caller when signed in with at least `role`; otherwise the 401/403 Response to send back. */
export async function requireUser(role: Role): Promise<{ user: CurrentUser; denied: null } | { user: null; denied: Response }> {
  const user = await currentUser();
  if (!user) return { user: null, denied: json(401, "Sign in first.") };
  if (!hasRole(user.role, role)) return { user: null, denied: json(403, `This needs the ${role} role; you are ${user.role}.`) };
  return { user, denied: null };
}

/** For route handlers that only need the check: the Response to send back when denied, else null. */
export async function requireRole(role: Role): Promise<Response | null> {
  return (await requireUser(role)).denied;
}

/** For pages: the signed-in user with at least `role`; others go to the sign-in page or are told what is missing. */
export async function requirePageUser(role: Role, here: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(here)}`);
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}&from=${encodeURIComponent(here)}`);
  return user;
}
