// Every BFCL fixture sample (with its ground truth, and a CoT added) goes out through the FunReason, xLAM and ShareGPT
// exports and comes back through the importers unchanged.
import { createReadStream, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SampleInput } from "@/lib/samples/types";
import { fromRecord as bfclRecord, readGroundTruth } from "./bfcl";
import { EXPORT_FORMATS, IMPORT_FORMATS, detectFormat, type ExportSample } from "./index";
import { readRecords } from "./records";

const BFCL = path.resolve(import.meta.dirname, "../../fixtures/bfcl");

async function fixtureSamples(): Promise<SampleInput[]> {
  const samples: SampleInput[] = [];
  for (const file of readdirSync(path.join(BFCL, "possible_answer"))) {
    const { answers } = await readGroundTruth(createReadStream(path.join(BFCL, "possible_answer", file)));
    for await (const record of readRecords(createReadStream(path.join(BFCL, file)))) {
      const sample = bfclRecord(record.ok ? record.value : null, { index: 0 }, { answers });
      if ("message" in sample) throw new Error(sample.message);
      samples.push({ ...sample, cot: `Reasoning for ${sample.sourceId}:\nuse the tools.` });
    }
  }
  return samples;
}

describe("export → import round trips over the BFCL fixtures", () => {
  it.each([
    ["funreason", "chat"],
    ["xlam", "xlam"],
    ["sharegpt", "sharegpt"],
  ] as const)("%s lines re-import (%s) to the same samples", async (exportId, importId) => {
    const samples = await fixtureSamples();
    expect(samples.length).toBeGreaterThan(2000);
    samples.forEach((sample, i) => {
      const exported: ExportSample = { ...sample, id: i + 1, datasetId: 1, datasetName: "bfcl", status: "passed", version: 1 };
      const line = JSON.parse(EXPORT_FORMATS[exportId].serialize(exported));
      expect(detectFormat(line)).toBe(importId);
      expect(IMPORT_FORMATS[importId].fromRecord(line, { index: i }, {})).toEqual(sample);
    });
  });
});
