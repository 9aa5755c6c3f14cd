import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { requireRole, requireUser } from "@/lib/auth/require-role";
import { ROLES } from "@/lib/auth/roles";
import { addUser, listUsers, NewUserSchema, setRole, UserExistsError } from "@/lib/auth/users";
import { readJsonBody } from "@/lib/http/json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/users — everyone with a login (admin only). */
export async function GET() {
  const denied = await requireRole("admin");
  if (denied) return denied;
  return Response.json({ users: await listUsers() });
}

/** POST /api/users {email, name, role, password} — 201 {user}; a taken email is 409. */
export async function POST(request: Request) {
  const { user: me, denied } = await requireUser("admin");
  if (denied) return denied;
  const parsed = await readJsonBody(request, NewUserSchema);
  if (!parsed.ok) return parsed.response;
  try {
    const user = await addUser(parsed.data, humanAuthor(me));
    return Response.json({ user }, { status: 201 });
  } catch (error) {
    if (error instanceof UserExistsError) return Response.json({ error: error.message }, { status: 409 });
    throw error;
  }
}

const RoleChange = z.object({
  email: z.email("email must be an email address"),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }),
});

/** PATCH /api/users {email, role} — changes a role (admin only). */
export async function PATCH(request: Request) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;
  const parsed = await readJsonBody(request, RoleChange);
  if (!parsed.ok) return parsed.response;
  // The last admin demoting themselves would lock everyone out of users and settings.
  if (parsed.data.email.toLowerCase() === user.email) return Response.json({ error: "you cannot change your own role" }, { status: 400 });
  try {
    return Response.json({ user: await setRole(parsed.data.email, parsed.data.role, humanAuthor(user)) });
  } catch (error) {
    if (error instanceof RangeError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
