import { z } from "zod";
import { route } from "@/lib/http/route";
import { REQUEST_KEY } from "@/lib/http/request-key";
import { listBulkJobs } from "@/lib/review/bulk-jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({ key: z.string().regex(REQUEST_KEY, "key must be 32 hexadecimal digits").optional() });

/**
 * GET /api/bulk-jobs — the latest bulk actions, newest first: 200 {jobs: [{id, actor, action, options, target,
 * status, total, done, failed, failures, runs, failure, createdAt, finishedAt}]}. ?key=<32 hex digits>: only the one
 * asked for under that key (POST /api/samples/bulk), to follow its progress; {jobs: []} before it has started.
 */
export const GET = route({ permission: "samples.read", query }, async ({ query }) => ({ jobs: await listBulkJobs({ requestKey: query.key }) }));
