// The Datasets page's rows: a dataset filled by several imports (the demo is nine files) says how many and what they
// added in all, not only what its last file added.
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { importSamples } from "@/lib/samples/import";
import { listDatasets } from "./queries";

afterAll(() => closeDb());

const line = (i: number) => JSON.stringify({ id: i, query: `Weather in town ${i}?`, tools: [{ name: "forecast", parameters: { city: { type: "str" } } }], answers: [{ name: "forecast", arguments: { city: `t${i}` } }] });
const file = (from: number, n: number) => Readable.from([Array.from({ length: n }, (_, i) => line(from + i)).join("\n") + "\n"]);

describe("listDatasets", () => {
  it("gives the last import and every import's total", async () => {
    const name = `several-imports-${process.pid}-${Date.now()}`;
    await importSamples({ datasetName: name, fileName: "first.jsonl", input: file(0, 5) });
    await importSamples({ datasetName: name, fileName: "second.jsonl", input: file(100, 3) });
    const row = (await listDatasets()).find((d) => d.name === name)!;
    expect(row.total).toBe(8);
    expect(row.lastImport).toMatchObject({ fileName: "second.jsonl", inserted: 3, imports: 2, insertedInAll: 8 });
  });
});
