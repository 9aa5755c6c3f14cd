// The Node flags of every process that works on pipeline runs: the web server (which hosts the worker under
// `npm start`), `npm run worker`, the CLI (`studio run` works on its run, and `npm start`'s process serves the
// built-in fake LLM), and the bench, which runs the worker in its own process and must measure it as it runs.
// package.json's scripts repeat them (node-flags.test.ts checks they agree).
//
// A larger young generation (32 MB semi-spaces, Node's default is 16): a run keeps 64 samples in flight, each for
// several judge calls, so with the default most of a sample's objects lived through one or two scavenges and were
// copied each time. With 32 MB, at 0 ms judge latency: 400 samples/s against 348 (median of three pairs, run in
// alternation), the worker's CPU per sample 2.0 ms against 2.3. It costs up to 32 MB more memory: the web server's
// peak RSS during a 60k upload was 353 MB against 319 MB (README).
export const PIPELINE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=32"];
