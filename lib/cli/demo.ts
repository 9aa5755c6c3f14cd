import { DEMO_DATASET, loadDemoDataset } from "@/lib/samples/demo";
import { printSummary } from "./output";

export const usage = "demo   (loads the BFCL fixtures into the dataset bfcl-demo)";

export async function run(): Promise<number> {
  const summaries = await loadDemoDataset();
  const sum = (key: "total" | "inserted" | "duplicates" | "rejected") => summaries.reduce((n, s) => n + s[key], 0);
  printSummary({
    command: "demo",
    dataset: DEMO_DATASET,
    files: summaries.length,
    total: sum("total"),
    inserted: sum("inserted"),
    duplicates: sum("duplicates"),
    rejected: sum("rejected"),
    seconds: summaries.reduce((n, s) => n + s.seconds, 0),
  });
  return 0;
}
