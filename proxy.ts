// Early turn-away for requests without a session cookie: pages go to the sign-in page, API calls get a 401. This
// is a convenience, not the security check (a cookie can be forged): every handler and page checks the session
// and permission on the server (lib/http/route.ts for route handlers, lib/auth/require-page.ts for pages).
// It also gives every response its Content-Security-Policy with a fresh nonce (lib/http/security-headers.ts).
import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, CSP_REPORT_PATH, newNonce } from "@/lib/http/security-headers";

const PUBLIC = ["/sign-in", "/api/auth/", "/api/health", CSP_REPORT_PATH];

export function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(newNonce());
  const response = turnAway(request) ?? NextResponse.next({ request: { headers: withHeader(request.headers, "Content-Security-Policy", csp) } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/** The redirect or 401 for a signed-out request to a page or API that needs a session; null to go on. */
function turnAway(request: NextRequest): NextResponse | null {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((p) => pathname === p || pathname.startsWith(p))) return null;
  if (getSessionCookie(request)) return null;
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", pathname + search);
  return NextResponse.redirect(signIn);
}

/** Next reads the nonce for its own scripts from the request's CSP header. */
function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}

export const config = {
  // Not the import routes: Next.js clones and buffers the body of every request a proxy sees (cutting it at 10 MB),
  // and an upload must reach its handler as the untouched stream it is. Those handlers check the session themselves.
  matcher: ["/((?!_next/|favicon.ico|api/import(?:/|$)).*)"],
};
