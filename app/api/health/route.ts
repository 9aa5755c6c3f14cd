import { getPrisma } from "@/lib/db/client";
import { lastLine } from "@/lib/db/outage";
import { route } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability: 200 {ok:true} after a `SELECT 1`, else 503 with a fixed message. Anyone may
 * call it (no session), so the driver's error (host names, user names, paths) goes to the server's log only.
 */
export const GET = route({ permission: "public" }, async () => {
  try {
    const prisma = await getPrisma();
    await prisma.$queryRaw`SELECT 1`;
    return { ok: true };
  } catch (error) {
    console.error(`health check: the database did not answer: ${lastLine(error as Error)}`);
    return Response.json({ ok: false, error: "the database is not reachable" }, { status: 503 });
  }
});
