// One batch pass of run <id> in a process of its own (as a worker runs it: lib/batch/job.ts), then its peak RSS
// (VmHWM) as one JSON line on stdout: what a pass over the run's samples needs in memory. Used by bench/batch.ts.
import { readFileSync } from "node:fs";
import { batchApi, walkOptions } from "@/lib/batch/job";
import { runBatchPass } from "@/lib/batch/pass";
import { closeDb, getPool } from "@/lib/db/client";
import type { RunRow } from "@/lib/jobs/pipeline-chunk";
import { getLlmConfig } from "@/lib/settings/store";

/** A /proc/self/status field in kB (Linux). */
const statusKb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"))?.[1]);

const runId = Number(process.argv[2]);
const run = (await (await getPool()).query<RunRow>("SELECT * FROM pipeline_runs WHERE id = $1", [runId])).rows[0];
const config = await getLlmConfig();
const options = { ...(await walkOptions(run, config)), openai: batchApi(config) };
const startRssKb = statusKb("VmRSS");
const report = await runBatchPass(runId, options);
process.stdout.write(`${JSON.stringify({ state: report.state, sent: report.sent, startRssKb, peakRssKb: statusKb("VmHWM") })}\n`);
await closeDb();
process.exit(0);
