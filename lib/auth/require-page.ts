// The guard of every page: the signed-in user with the page's permission (lib/auth/permissions.ts); others go to
// the sign-in page or are told what is missing. Route handlers have theirs in the route wrapper (lib/http/route.ts).
import "server-only";
import { redirect } from "next/navigation";
import { currentUser, type CurrentUser } from "./current-user";
import { pagePermission, type NavHref } from "@/lib/nav";
import { can, type Permission } from "./permissions";

export async function requirePage(permission: Permission, here: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(here)}`);
  if (!can(user.role, permission)) redirect(`/forbidden?need=${permission}&from=${encodeURIComponent(here)}`);
  return user;
}

/** A section's page: its permission is the one the navigation shows it for (lib/nav.ts). */
export function requireSection(href: NavHref): Promise<CurrentUser> {
  return requirePage(pagePermission(href), href);
}
