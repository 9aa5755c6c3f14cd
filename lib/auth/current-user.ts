// Who is asking, for pages and layouts: the signed-in person of this request, or null. Route handlers get theirs
// from the route wrapper (lib/http/route.ts), which reads the request's own headers.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { sessionUser, type CurrentUser } from "./session";

export type { CurrentUser } from "./session";

/** Once per request (React cache): pages, layouts and actions of one request share the lookup. */
export const currentUser = cache(async (): Promise<CurrentUser | null> => sessionUser(await headers()));

/** How a person is written in verdicts, revisions and decisions: `human:<email>`. */
export function humanAuthor(user: Pick<CurrentUser, "email">): string {
  return `human:${user.email}`;
}
