// Where the sign-in page sends a person afterwards (`?next=`): only a path on the studio itself, or the sign-in
// page would be an open redirect. Browsers read `/\evil.example/x` (and `/\t/evil.example`) as `//evil.example/x`, a
// link to another site, so the check resolves the value the way a browser does instead of looking at its first
// characters.
// The home page sends each person to their role's first page (lib/nav.ts homeFor).
const HOME = "/";
const HERE = "http://studio.invalid";

export function safeNext(next: string | string[] | undefined): string {
  if (typeof next !== "string" || !next.startsWith("/")) return HOME;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return HOME;
  }
  return url.origin === HERE ? `${url.pathname}${url.search}${url.hash}` : HOME;
}
