import { createReadStream, existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { importSamples, type ImportSummary } from "./import";

export const DEMO_DATASET = "bfcl-demo";

/**
 * The BFCL v4 fixtures shipped in the project (Apache-2.0, see fixtures/bfcl/LICENSE). A path the build can read:
 * from one it cannot (an environment variable), Next.js traces the whole project into the server's output.
 */
export const BFCL_FIXTURES_DIR = path.join(process.cwd(), "fixtures", "bfcl");

/**
 * Loads every BFCL category (with its ground truth where BFCL has one) into the demo dataset. Running it twice
 * adds nothing: samples are deduplicated by content.
 */
export async function loadDemoDataset(datasetName = DEMO_DATASET): Promise<ImportSummary[]> {
  const files = (await readdir(BFCL_FIXTURES_DIR)).filter((f) => /^BFCL_v4_.*\.json$/.test(f)).sort();
  const summaries: ImportSummary[] = [];
  for (const file of files) {
    const answers = path.join(BFCL_FIXTURES_DIR, "possible_answer", file);
    summaries.push(
      await importSamples({
        datasetName,
        fileName: file,
        format: "bfcl",
        input: createReadStream(path.join(BFCL_FIXTURES_DIR, file)),
        answers: existsSync(answers) ? createReadStream(answers) : undefined,
        actor: "system",
      }),
    );
  }
  return summaries;
}
