import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { ROLES } from "@/lib/auth/roles";
import { addUser, listUsers, NewUserSchema, setRole } from "@/lib/auth/users";
import { InvalidRequestError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/users — everyone with a login (admin only). */
export const GET = route({ permission: "users.manage" }, async () => ({ users: await listUsers() }));

/** POST /api/users {email, name, role, password} — 201 {user}; a taken email is 409. */
export const POST = route({ permission: "users.manage", body: NewUserSchema }, async ({ user: me, body }) => {
  const user = await addUser(body, humanAuthor(me));
  return Response.json({ user }, { status: 201 });
});

const RoleChange = z.object({
  email: z.email("email must be an email address").max(254, "email is longer than 254 characters"),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }),
});

/** PATCH /api/users {email, role} — changes a role (admin only); 404 for an unknown email. */
export const PATCH = route({ permission: "users.manage", body: RoleChange }, async ({ user, body }) => {
  // The last admin demoting themselves would lock everyone out of users and settings.
  if (body.email.toLowerCase() === user.email) throw new InvalidRequestError("you cannot change your own role");
  return { user: await setRole(body.email, body.role, humanAuthor(user)) };
});
