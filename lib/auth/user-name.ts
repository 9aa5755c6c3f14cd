/** The cookie that names a browser's reviewer until accounts exist (see current-user.ts). */
export const USER_COOKIE = "studio_user";

/** A name we accept: short, plain characters (it ends up in `human:<name>`). */
export function isValidUserName(value: string | undefined): value is string {
  return typeof value === "string" && /^[A-Za-z0-9._@-]{1,64}$/.test(value);
}
