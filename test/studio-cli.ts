// The studio CLI as a user runs it, for tests: `npm run studio -- <args>` (tsx, the test's environment), and a Batch
// API input file answered "elsewhere" as `vllm run-batch` answers it (each line sent to a server's chat completions).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/**
 * Runs `npm run studio -- <args>` with these environment variables changed (undefined: unset), never throwing on a
 * non-zero exit. A command still going after two minutes is killed (its code is then null): a hang shows as such.
 */
export async function studioWith(env: Record<string, string | undefined>, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/main.ts", ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr, summary: JSON.parse(stdout.trim().split("\n").at(-1)!) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    const last = e.stdout.trim().split("\n").at(-1);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, summary: last ? JSON.parse(last) : null };
  }
}

/** Runs `npm run studio -- <args>` in the test's environment. */
export const studio = (...args: string[]) => studioWith({}, ...args);

/**
 * What `vllm run-batch -i in.jsonl -o out.jsonl` writes for an input file: one result line per input line, each body
 * answered by the server at `baseURL`; a request that failed with the error beside a response without a body, as
 * vLLM's run_batch.py writes an ErrorResponse.
 */
export async function runBatchElsewhere(baseURL: string, input: string): Promise<string> {
  const out: string[] = [];
  for (const line of input.split("\n").filter(Boolean)) {
    const { custom_id, body } = JSON.parse(line);
    const res = await fetch(`${baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await res.json();
    const failed = res.status < 200 || res.status >= 300;
    out.push(JSON.stringify({ id: `vllm-${out.length}`, custom_id, response: { status_code: res.status, request_id: `r${out.length}`, body: failed ? null : answer }, error: failed ? answer : null }));
  }
  return `${out.join("\n")}\n`;
}
