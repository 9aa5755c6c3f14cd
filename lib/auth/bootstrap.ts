// The first admin, so a fresh studio can be signed in to: from STUDIO_ADMIN_EMAIL / STUDIO_ADMIN_PASSWORD, or
// admin@studio.local with a generated password printed once (reset it with `npm run studio -- user password`).
import "server-only";
import { addUser, countAdmins, generatePassword, UserExistsError } from "./users";

export const DEFAULT_ADMIN_EMAIL = "admin@studio.local";

/** Creates the first admin when there is none; returns the login to show, or null when nothing was created. */
export async function ensureFirstAdmin(env: Record<string, string | undefined> = process.env): Promise<{ email: string; password: string | null } | null> {
  if ((await countAdmins()) > 0) return null;
  const email = env.STUDIO_ADMIN_EMAIL?.trim() || DEFAULT_ADMIN_EMAIL;
  const given = env.STUDIO_ADMIN_PASSWORD;
  const password = given || generatePassword();
  try {
    await addUser({ email, name: "Admin", role: "admin", password }, "system");
  } catch (error) {
    // Another process (web server and CLI starting together) created it first.
    if (error instanceof UserExistsError) return null;
    throw error;
  }
  // A password from the environment is the operator's own: never echo it.
  return { email, password: given ? null : password };
}

export function firstAdminMessage(login: { email: string; password: string | null }): string {
  return login.password
    ? `first admin created — sign in as ${login.email} with password ${login.password} (shown once; change it with: npm run studio -- user password ${login.email})`
    : `first admin created — sign in as ${login.email} with the password from STUDIO_ADMIN_PASSWORD`;
}
