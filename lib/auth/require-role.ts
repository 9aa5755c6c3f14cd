export type Role = "viewer" | "annotator" | "admin";

/**
 * THE single authorization seam. Every route handler and server action that needs a role calls this first and
 * returns the Response it gives back, if any.
 *
 * TODO(auth issue): authentication and roles arrive in a later issue. Until then this ALLOWS EVERYTHING: it always
 * returns null (no denial). Replace its body — not its callers — when users and roles exist.
 */
export async function requireRole(role: Role): Promise<Response | null> {
  void role;
  return null;
}
