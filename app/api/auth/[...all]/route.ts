// better-auth's endpoints (sign-in, sign-out, session, password change), rate-limited by the library itself. Public
// (signing in needs no session), but a POST must come from the studio's own origin like any other.
import { getAuth } from "@/lib/auth/auth";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = route({ permission: "public" }, async ({ request }) => (await getAuth()).handler(request));

export { handle as GET, handle as POST };
