// Test data for the queue and discard specs: a small xLAM set written in the test, imported through the API and
// taken through a full pipeline run against the fake LLM, whose [[fake:...]] directives in a query decide where
// each sample ends (passed, or discarded by a given stage).
import { expect, type APIRequestContext } from "@playwright/test";
import { importThroughApi } from "./helpers";

const TOOLS = JSON.stringify([
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      city: { description: "The city name.", type: "str", default: "" },
      units: { description: "metric or imperial.", type: "str, optional", default: "metric" },
    },
  },
]);

/** One xLAM line calling get_weather with `args` (a key the tool lacks makes stage 4's rules fail it). */
export function weatherLine(query: string, args: Record<string, unknown> = { city: "Lyon" }): string {
  return JSON.stringify({ query, tools: TOOLS, answers: JSON.stringify([{ name: "get_weather", arguments: args }]) });
}

/**
 * Imports the lines as a new dataset, runs every stage over it, and waits until the run has finished. Returns the
 * run, the dataset's id and each sample's id and status by query.
 */
export async function importAndRun(request: APIRequestContext, dataset: string, lines: string[]) {
  const summary = await importThroughApi(request, { body: Buffer.from(lines.join("\n") + "\n"), dataset, fileName: `${dataset}.jsonl` });
  expect(summary.inserted).toBe(lines.length);
  const started = await request.post("/api/runs", { data: { dataset, stages: "all", concurrency: 4, maxRegenerations: 1 } });
  expect(started.status()).toBe(201);
  const { runId } = (await started.json()) as { runId: number };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 45_000 })
    .toBe("succeeded");
  const audit = await request.get(`/api/datasets/${dataset}/export?format=audit&status=pending,passed,text,flagged,approved,discarded`);
  const samples = (await audit.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { sample_id: number; query: string; status: string });
  const view = (await (await request.get(`/api/samples/${samples[0].sample_id}`)).json()) as { sample: { datasetId: number } };
  const byQuery = new Map(samples.map((s) => [s.query, s]));
  return { runId, datasetId: view.sample.datasetId, sample: (query: string) => byQuery.get(query)! };
}
