import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { resetPassword } from "@/lib/auth/users";
import { InvalidRequestError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ email: z.email("email must be an email address").max(254, "email is longer than 254 characters") });

/**
 * POST /api/users/password {email} — sets a new, generated password for someone (their sessions end) and answers it,
 * this once: 200 {password}. 404 for an unknown email. Not one's own: a session alone must not be enough to take over
 * an account (another admin, or the CLI, can).
 */
export const POST = route({ permission: "users.manage", body }, async ({ user, body: { email } }) => {
  if (email.toLowerCase() === user.email) throw new InvalidRequestError("you cannot reset your own password here: ask another admin, or run npm run studio -- user password <email>");
  return { password: await resetPassword(email, humanAuthor(user)) };
});
