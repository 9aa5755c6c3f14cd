import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { ROLES } from "@/lib/auth/roles";
import { addUser, findUser, generatePassword, listUsers, NewUserRequest, setActive, setRole } from "@/lib/auth/users";
import { InvalidRequestError } from "@/lib/errors";
import { jsonResponse, route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/users — everyone with a login (admin only). */
export const GET = route({ permission: "users.manage" }, async () => ({ users: await listUsers() }));

/**
 * POST /api/users {email, name, role, password?} — 201 {user}, and {password} when none was given: generated, shown
 * this once. A taken email is 409.
 */
export const POST = route({ permission: "users.manage", body: NewUserRequest }, async ({ user: me, body }) => {
  const password = body.password ?? generatePassword();
  const user = await addUser({ ...body, password }, humanAuthor(me));
  return jsonResponse({ user, ...(body.password ? {} : { password }) }, { status: 201 });
});

const UserChange = z
  .object({
    email: z.email("email must be an email address").max(254, "email is longer than 254 characters"),
    role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }).optional(),
    active: z.boolean({ error: "active must be true or false" }).optional(),
  })
  .refine((change) => change.role !== undefined || change.active !== undefined, "say what to change: role or active");

/**
 * PATCH /api/users {email, role?, active?} — changes a role, or deactivates (active: false; their sessions end) or
 * reactivates someone. 404 for an unknown email; 409 for deactivating the last active admin.
 */
export const PATCH = route({ permission: "users.manage", body: UserChange }, async ({ user, body }) => {
  // An admin demoting or locking out themselves could leave nobody to manage people and settings.
  if (body.email.toLowerCase() === user.email) throw new InvalidRequestError("you cannot change your own role or deactivate yourself");
  const actor = humanAuthor(user);
  if (body.role !== undefined) await setRole(body.email, body.role, actor);
  const changed = body.active === undefined ? null : await setActive(body.email, body.active, actor);
  return { user: changed ?? (await findUser(body.email)) };
});
