// After `next build`: fails when a browser chunk (.next/static) holds an LLM prompt text or code of a server module.
// `import "server-only"` makes Next refuse a marked module in a browser bundle; this catches what is not marked
// (a prompt reached through a pure-looking helper, as the review page's highlights once pulled in stage 4 and with
// it every prompt). Run by scripts/test.sh: `tsx --conditions=react-server scripts/check-client-bundle.ts`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Prompt } from "@/lib/llm/prompts";

const ROOT = path.resolve(import.meta.dirname, "..");
const PROMPTS = path.join(ROOT, "lib/llm/prompts");

/** Strings only server code contains, each with the file that must keep it (else the check would pass vacuously). */
const SERVER_MARKERS: Array<{ text: string; file: string }> = [
  { text: "STUDIO_AUTH_SECRET", file: "lib/auth/auth.ts" },
  { text: "FOR UPDATE SKIP LOCKED", file: "lib/review/queue.ts" },
  { text: "SELECT pg_advisory_lock(", file: "lib/db/migrate.ts" },
  { text: "ipAddressHeaders", file: "lib/auth/auth.ts" },
];

/** The longest line of each prompt's system text that a bundler keeps verbatim (no quotes or backslashes). */
async function promptNeedles(): Promise<Array<{ text: string; what: string }>> {
  const needles: Array<{ text: string; what: string }> = [];
  for (const file of readdirSync(PROMPTS).filter((f) => /\.v\d+\.ts$/.test(f))) {
    const module = (await import(pathToFileURL(path.join(PROMPTS, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      const prompt = value as Partial<Prompt<unknown>>;
      if (typeof prompt?.system !== "string" || !prompt.promptVersion) continue;
      const lines = prompt.system.split("\n").filter((line) => !/["'`\\]/.test(line));
      const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
      if (longest.length < 40) throw new Error(`${file}: no distinctive line in ${prompt.promptVersion}'s text to look for`);
      needles.push({ text: longest, what: `the prompt ${prompt.promptVersion}` });
    }
  }
  return needles;
}

function browserChunks(): string[] {
  const dir = path.join(ROOT, ".next/static");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
  if (files.length === 0) throw new Error("no browser chunks in .next/static: run `next build` first");
  return files.map((f) => path.join(dir, f));
}

async function main() {
  for (const { text, file } of SERVER_MARKERS) {
    if (!readFileSync(path.join(ROOT, file), "utf8").includes(text)) throw new Error(`check-client-bundle: "${text}" is no longer in ${file}: pick another marker`);
  }
  const needles = [...(await promptNeedles()), ...SERVER_MARKERS.map(({ text, file }) => ({ text, what: `server code (${file})` }))];
  const chunks = browserChunks();
  const found: string[] = [];
  for (const chunk of chunks) {
    const code = readFileSync(chunk, "utf8");
    for (const needle of needles) if (code.includes(needle.text)) found.push(`${path.relative(ROOT, chunk)} contains ${needle.what}`);
  }
  if (found.length > 0) {
    console.error(`check-client-bundle: server-only text in browser chunks:\n  ${found.join("\n  ")}`);
    process.exitCode = 1;
    return;
  }
  console.error(`check-client-bundle: ${chunks.length} browser chunks hold none of ${needles.length} prompt texts and server markers`);
}

await main();
