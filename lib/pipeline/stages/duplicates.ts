// Stage 0, Duplicates & Contamination (ours, optional, on by default): is the sample a copy of an earlier sample of
// the dataset, or of one of BFCL's evaluation queries? Either way it is discarded, with the other sample's id or the
// benchmark entry's id as evidence: a repeated sample weighs twice in training, and a benchmark query in the
// training set makes the benchmark's score meaningless.
//
// Duplicates: two samples are the same when their query, tools and answer are equal once normalised — whitespace
// collapsed (in the query and in every string of tools and answer), object keys in one order, numbers by value (1,
// 1.0 and 1e0 are one number). The CoT is left out, as in the sample's content hash. The sample with the lowest id
// among the dataset's samples not discarded is kept; every later copy is a duplicate of it. That needs the whole
// dataset: `prepare` reads it once per run (and worker process) into normalised hash → first sample id (and each
// sample's hash).
//
// Contamination: the query against every user message of the BFCL v4 test files shipped in fixtures/bfcl — equal
// once normalised (whitespace collapsed, case folded), or sharing at least CONTAMINATION_THRESHOLD of a benchmark
// query's distinct word 8-grams. The 8-gram index is built once per process.
//
// Rules only; no judge.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BFCL_FIXTURES_DIR } from "@/lib/samples/demo";
import type { PipelineSample, Stage, Verdict } from "../types";
import { ruleVerdict } from "./common";

const STAGE = 0;
/** Word n-grams compared with the benchmark's queries. */
export const NGRAM = 8;
/** A query is contaminated when it holds at least this share of one benchmark query's distinct 8-grams. */
export const CONTAMINATION_THRESHOLD = 0.5;
const THRESHOLD_PERCENT = `${Math.round(CONTAMINATION_THRESHOLD * 100)}%`;

// Text that is printable ASCII without a doubled, leading or trailing space is already normal (most of it is).
const MAYBE_NOT_NORMAL = /[^\x20-\x7e]| {2}|^ | $/;

/** Whitespace runs as one space, trimmed; Unicode in composed form (an "é" typed two ways is one). */
export function normalizeText(text: string): string {
  if (!MAYBE_NOT_NORMAL.test(text)) return text;
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with keys sorted, strings whitespace-normalised and numbers in their shortest form (-0 as 0). */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(normalizeText(value));
  if (typeof value === "number") return Object.is(value, -0) ? "0" : JSON.stringify(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  let out = "";
  if (Array.isArray(value)) {
    for (const item of value) out += (out ? "," : "") + canonicalJson(item);
    return `[${out}]`;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object).sort(byKey)) {
    if (object[key] !== undefined) out += `${out ? "," : ""}${JSON.stringify(key)}:${canonicalJson(object[key])}`;
  }
  return `{${out}}`;
}

/** The sample's identity for duplicates: a hash of its normalised query, tools and answer. */
export function duplicateKey(sample: Pick<PipelineSample, "query" | "tools" | "answer">): string {
  const canonical = canonicalJson([sample.query, sample.tools, sample.answer]);
  return createHash("sha256").update(canonical).digest("base64");
}

/** Lower-case words (letters and digits), for n-grams. */
function words(text: string): string[] {
  return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct word n-grams of a text, each as its words joined by one space. */
export function wordNgrams(text: string, n = NGRAM): Set<string> {
  const w = words(text);
  const grams = new Set<string>();
  for (let i = 0; i + n <= w.length; i++) grams.add(w.slice(i, i + n).join(" "));
  return grams;
}

export interface BenchmarkQuery {
  id: string;
  /** Where it comes from, e.g. "BFCL_v4_simple_python.json". */
  source: string;
  query: string;
}

export interface BenchmarkIndex {
  queries: BenchmarkQuery[];
  /** Normalised, case-folded query → its first entry. */
  exact: Map<string, number>;
  /** 8-gram → the entries holding it. */
  grams: Map<string, number[]>;
  /** Each entry's number of distinct 8-grams. */
  gramCounts: number[];
}

const exactForm = (query: string) => normalizeText(query).toLowerCase();

export function buildBenchmarkIndex(queries: BenchmarkQuery[]): BenchmarkIndex {
  const index: BenchmarkIndex = { queries, exact: new Map(), grams: new Map(), gramCounts: [] };
  queries.forEach((q, i) => {
    const exact = exactForm(q.query);
    if (!index.exact.has(exact)) index.exact.set(exact, i);
    const grams = wordNgrams(q.query);
    index.gramCounts.push(grams.size);
    for (const gram of grams) {
      const holders = index.grams.get(gram);
      if (holders) holders.push(i);
      else index.grams.set(gram, [i]);
    }
  });
  return index;
}

export type Contamination = { entry: BenchmarkQuery; match: "exact" } | { entry: BenchmarkQuery; match: "8-gram"; overlap: number };

/** The benchmark query `query` copies (exactly, else the one it shares most 8-grams with, at the threshold or above), or null. */
export function findContamination(query: string, index: BenchmarkIndex): Contamination | null {
  const exact = index.exact.get(exactForm(query));
  if (exact !== undefined) return { entry: index.queries[exact], match: "exact" };
  const hits = new Map<number, number>();
  for (const gram of wordNgrams(query)) for (const i of index.grams.get(gram) ?? []) hits.set(i, (hits.get(i) ?? 0) + 1);
  let best: { i: number; overlap: number } | null = null;
  for (const [i, n] of hits) {
    const overlap = n / index.gramCounts[i];
    if (overlap >= CONTAMINATION_THRESHOLD && (!best || overlap > best.overlap)) best = { i, overlap };
  }
  return best ? { entry: index.queries[best.i], match: "8-gram", overlap: best.overlap } : null;
}

/** Every user message of the BFCL v4 test files in fixtures/bfcl (their `question` turns). */
export function readBfclQueries(dir = BFCL_FIXTURES_DIR): BenchmarkQuery[] {
  const queries: BenchmarkQuery[] = [];
  for (const file of readdirSync(dir).filter((f) => /^BFCL_v4_.*\.json$/.test(f)).sort()) {
    for (const line of readFileSync(path.join(dir, file), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as { id: string; question: Array<Array<{ role: string; content: unknown }>> };
      for (const message of entry.question.flat()) {
        if (message.role === "user" && typeof message.content === "string") queries.push({ id: entry.id, source: file, query: message.content });
      }
    }
  }
  return queries;
}

let bfcl: BenchmarkIndex | null = null;
/** The shipped BFCL queries' index, built on first use and kept for the process. */
export function bfclIndex(): BenchmarkIndex {
  bfcl ??= buildBenchmarkIndex(readBfclQueries());
  return bfcl;
}

/** What `prepare` keeps of the dataset. */
export interface DatasetKeys {
  /** Normalised hash → the lowest id among the dataset's samples with it. */
  firstByKey: Map<string, number>;
  /**
   * Each sample's hash, so a run does not compute it twice: a run refines a sample only at the version it took in,
   * and the dataset is read after that, so the hash read is the hash of the sample the run checks.
   */
  keyById: Map<number, string>;
}

function duplicateRule(sample: PipelineSample, { firstByKey, keyById }: DatasetKeys): Verdict {
  const key = (sample.id !== undefined && keyById.get(sample.id)) || duplicateKey(sample);
  const first = firstByKey.get(key);
  if (first !== undefined && first !== sample.id) {
    return ruleVerdict(
      STAGE,
      "duplicate",
      "fail",
      `Duplicate of sample #${first}: the same query, tools and answer once whitespace, key order and number formatting are normalised.`,
      { duplicateOf: first },
    );
  }
  return ruleVerdict(STAGE, "duplicate", "pass", "No earlier sample of the dataset has the same query, tools and answer.");
}

function contaminationRule(sample: PipelineSample, index: BenchmarkIndex): Verdict {
  const found = findContamination(sample.query, index);
  if (!found) {
    return ruleVerdict(STAGE, "contamination", "pass", `The query copies none of the ${index.queries.length} BFCL evaluation queries (exactly, or by ${THRESHOLD_PERCENT} of their word ${NGRAM}-grams).`);
  }
  const { entry } = found;
  const evidence = { benchmark: "BFCL v4", benchmarkId: entry.id, source: entry.source, match: found.match };
  if (found.match === "exact") {
    return ruleVerdict(STAGE, "contamination", "fail", `The query is BFCL evaluation query ${entry.id} (${entry.source}), word for word once normalised.`, evidence);
  }
  const percent = Math.round(found.overlap * 100);
  return ruleVerdict(
    STAGE,
    "contamination",
    "fail",
    `The query holds ${percent}% of the word ${NGRAM}-grams of BFCL evaluation query ${entry.id} (${entry.source}); ${THRESHOLD_PERCENT} or more is a copy.`,
    { ...evidence, overlap: found.overlap, threshold: CONTAMINATION_THRESHOLD },
  );
}

export const duplicatesStage: Stage<DatasetKeys> = {
  id: STAGE,
  async prepare(samples) {
    const keys: DatasetKeys = { firstByKey: new Map(), keyById: new Map() };
    for await (const sample of samples) {
      const key = duplicateKey(sample);
      keys.keyById.set(sample.id, key);
      if (!keys.firstByKey.has(key)) keys.firstByKey.set(key, sample.id);
    }
    return keys;
  },
  async run(sample, _ctx, keys = { firstByKey: new Map(), keyById: new Map() }) {
    return [duplicateRule(sample, keys), contaminationRule(sample, bfclIndex())];
  },
};
