// Run as a process of its own by bulk-job-interrupted.test.ts, which kills it with SIGKILL half-way: a bulk approve
// of the samples in BULK_SAMPLE_IDS, in batches of 50 with a pause after each, so the kill lands mid-job.
import { runBulkJob } from "@/lib/review/bulk-jobs";
import { decideMany } from "@/lib/review/decisions";

const ids: number[] = JSON.parse(process.env.BULK_SAMPLE_IDS!);
const author = "human:kim@example.test";
await runBulkJob(
  { actor: author, action: "approve", target: { kind: "filter", query: process.env.BULK_QUERY! }, sampleIds: ids, batchSize: 50 },
  async (batch, bulkJobId) => {
    const decided = await decideMany(batch, { action: "approve", author }, { bulkJobId });
    await new Promise((resolve) => setTimeout(resolve, 150));
    return decided;
  },
);
