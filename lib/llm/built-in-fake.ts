// The built-in fake LLM: with no judge configured (neither STUDIO_LLM_BASE_URL nor a base URL saved in Settings),
// `npm start` serves the project's fake OpenAI-compatible server (lib/llm/fake-server.ts) on a local port and points
// the studio at it, so the demo's runs go through every stage. Its verdicts are deterministic stand-ins
// (lib/llm/fake-judge.ts), not a model's judgement, and every page says so while it is the judge in force.
// Pure: start.ts starts the server, lib/settings/store.ts tells the pages.

/** Set (to "1") in the web server's environment by `npm start` when the base URL there is the built-in fake's. */
export const BUILT_IN_FAKE_ENV = "STUDIO_LLM_BUILT_IN_FAKE";

/** What every page says while the built-in fake is the judge. */
export const BUILT_IN_FAKE_NOTICE = "Verdicts come from the built-in fake LLM — not a real judge";

/** The environment `npm start` gives the web server (and its worker) to use the built-in fake at `url`. */
export function builtInFakeEnv(url: string): Record<string, string> {
  return { STUDIO_LLM_BASE_URL: url, STUDIO_LLM_MODEL: "fake-judge", STUDIO_LLM_TEACHER_MODEL: "fake-teacher", [BUILT_IN_FAKE_ENV]: "1" };
}

/**
 * Whether the judge in force is the built-in fake: the environment's base URL is the fake's (as `npm start` set it)
 * and no base URL saved in Settings replaces it.
 */
export function isBuiltInFake(savedBaseURL: string | undefined, env: Record<string, string | undefined>): boolean {
  const envBaseURL = env.STUDIO_LLM_BASE_URL?.trim();
  return env[BUILT_IN_FAKE_ENV] === "1" && Boolean(envBaseURL) && (savedBaseURL === undefined || savedBaseURL === envBaseURL);
}
