// better-auth's endpoints (sign-in, sign-out, session), rate-limited by the library itself.
import { getAuth } from "@/lib/auth/auth";

const handle = async (request: Request) => (await getAuth()).handler(request);

export { handle as GET, handle as POST };
