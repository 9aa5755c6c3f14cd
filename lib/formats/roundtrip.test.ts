// Every BFCL fixture sample (with its ground truth, and a CoT added) goes out through the FunReason and xLAM
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

describe("the OpenAI export re-imports to the same samples", () => {
  // The line carries no source id and writes the tools as JSON Schema (toJsonSchema: e.g. a BFCL tuple becomes an
  // array), so the sample comes back with sourceId null and the line's tools exactly; exporting it again writes the
  // very same line.
  it("gives back each BFCL fixture sample's query, answer and CoT, the line's tools, and the same line when exported again", async () => {
    const samples = await fixtureSamples();
    const exported = (sample: SampleInput, i: number): ExportSample => ({ ...sample, id: i + 1, datasetId: 1, datasetName: "bfcl", status: "passed", version: 1 });
    // Every tenth one also with a text answer instead of its calls.
    const withText = samples.filter((_, i) => i % 10 === 0).map((sample) => ({ ...sample, answer: { kind: "text" as const, text: "None of these tools can do that: \"no\".\nSorry." } }));
    [...samples, ...withText].forEach((sample, i) => {
      const line = EXPORT_FORMATS.openai.serialize(exported(sample, i));
      const back = IMPORT_FORMATS.chat.fromRecord(JSON.parse(line), { index: i }, {});
      if ("message" in back) throw new Error(`${sample.sourceId}: ${back.field} ${back.message}`);
      expect(back).toEqual({ ...sample, sourceId: null, tools: back.tools });
      expect(back.tools).toEqual(JSON.parse(line).tools.map((tool: { function: unknown }) => tool.function));
      expect(EXPORT_FORMATS.openai.serialize(exported(back, i))).toBe(line);
    });
  });
});
