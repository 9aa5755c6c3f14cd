import { listDatasets } from "@/lib/datasets/queries";
import { printSummary } from "./output";

export const usage = "datasets";

export async function run(): Promise<number> {
  const datasets = await listDatasets();
  for (const d of datasets) {
    const counts = Object.entries(d.counts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${status} ${n}`)
      .join(", ");
    process.stderr.write(`${d.name}\t${d.total} samples${counts ? `\t(${counts})` : ""}\n`);
  }
  printSummary({
    command: "datasets",
    datasets: datasets.map((d) => ({ id: d.id, name: d.name, total: d.total, counts: d.counts })),
  });
  return 0;
}
