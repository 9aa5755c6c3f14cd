import { z } from "zod";
import { requireUser } from "@/lib/auth/require-role";
import { readJsonBody } from "@/lib/http/json";
import { claimHolder, releaseClaim, sampleExists } from "@/lib/review/queue";
import { idSchema } from "../schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ sampleId: idSchema("sampleId") });

/**
 * POST /api/review/release {sampleId} — gives the calling reviewer's claim back to the queue: 200 {released: true};
 * 409 when they do not hold it (with who does, if anyone); 404 for an unknown sample.
 */
export async function POST(request: Request) {
  const { user, denied } = await requireUser("annotator");
  if (denied) return denied;
  const parsed = await readJsonBody(request, body);
  if (!parsed.ok) return parsed.response;
  const { sampleId } = parsed.data;
  if (await releaseClaim(user.email, sampleId)) return Response.json({ released: true });
  if (!(await sampleExists(sampleId))) return Response.json({ error: `sample ${sampleId} does not exist` }, { status: 404 });
  const holder = await claimHolder(sampleId);
  return Response.json(
    { error: holder ? `sample ${sampleId} is held by ${holder.user}, not by you` : `you do not hold sample ${sampleId}`, holder },
    { status: 409 },
  );
}
