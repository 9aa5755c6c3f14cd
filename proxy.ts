// Gives every new browser a reviewer name (see lib/auth/current-user.ts), so two people sharing a studio never
// share review-queue claims.
import { NextResponse, type NextRequest } from "next/server";
import { USER_COOKIE, isValidUserName } from "@/lib/auth/user-name";

export function proxy(request: NextRequest) {
  if (isValidUserName(request.cookies.get(USER_COOKIE)?.value)) return NextResponse.next();
  const name = `reviewer-${crypto.randomUUID().slice(0, 6)}`;
  // Visible to this very request's server code too, not only from the next request on.
  request.cookies.set(USER_COOKIE, name);
  const response = NextResponse.next({ request });
  response.cookies.set(USER_COOKIE, name, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });
  return response;
}

export const config = {
  matcher: ["/((?!_next/|favicon.ico|api/health).*)"],
};
