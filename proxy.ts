// Early turn-away for requests without a session cookie: pages go to the sign-in page, API calls get a 401. This
// is a convenience, not the security check (a cookie can be forged): every handler and page checks the session
// and role on the server (lib/auth/require-role.ts).
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC = ["/sign-in", "/api/auth/", "/api/health"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((p) => pathname === p || pathname.startsWith(p))) return NextResponse.next();
  if (getSessionCookie(request)) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", pathname + search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Not the import routes: Next.js clones and buffers the body of every request a proxy sees (cutting it at 10 MB),
  // and an upload must reach its handler as the untouched stream it is. Those handlers check the session themselves.
  matcher: ["/((?!_next/|favicon.ico|api/import(?:/|$)).*)"],
};
