// The role matrix: every guarded route handler, called by nobody, a viewer, an annotator and an admin. "allowed"
// means the role check let the request through (the handler may still refuse the body: that is a 400, not a 403).
// New handlers belong in ACTIONS.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { E2E_WEB_PORT, storageStatePath, type E2EUser } from "./env";

type Who = "anonymous" | Extract<E2EUser, "viewer" | "annotator" | "admin">;
const WHO: Who[] = ["anonymous", "viewer", "annotator", "admin"];
const RANK: Record<Who, number> = { anonymous: -1, viewer: 0, annotator: 1, admin: 2 };

interface Action {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  /** The least role allowed. */
  needs: Exclude<Who, "anonymous">;
}

const ACTIONS: Action[] = [
  { name: "list runs", method: "GET", path: "/api/runs", needs: "viewer" },
  { name: "run status", method: "GET", path: "/api/runs/999999", needs: "viewer" },
  { name: "start a run", method: "POST", path: "/api/runs", body: { dataset: "" }, needs: "admin" },
  { name: "pause a run", method: "POST", path: "/api/runs/999999", body: { action: "pause" }, needs: "admin" },
  { name: "import", method: "POST", path: "/api/import?dataset=x&fileName=x.jsonl", body: "", needs: "admin" },
  { name: "export", method: "GET", path: "/api/datasets/no-such-dataset/export?format=xlam", needs: "admin" },
  { name: "samples table page", method: "GET", path: "/api/samples", needs: "viewer" },
  { name: "tool names", method: "GET", path: "/api/samples/tools?prefix=get", needs: "viewer" },
  { name: "a sample", method: "GET", path: "/api/samples/999999", needs: "viewer" },
  { name: "a sample's neighbors", method: "GET", path: "/api/samples/999999/neighbors", needs: "viewer" },
  { name: "decide", method: "POST", path: "/api/samples/999999/decision", body: {}, needs: "annotator" },
  { name: "edit", method: "POST", path: "/api/samples/999999/edit", body: {}, needs: "annotator" },
  { name: "validate an edit", method: "POST", path: "/api/samples/999999/edit/validate", body: {}, needs: "annotator" },
  { name: "regenerate / re-check", method: "POST", path: "/api/samples/999999/tasks", body: {}, needs: "annotator" },
  { name: "queue: next after a sample", method: "POST", path: "/api/samples/999999/next", body: { skipped: "x" }, needs: "annotator" },
  { name: "queue: claim next", method: "POST", path: "/api/review/next", body: { exclude: "x" }, needs: "annotator" },
  { name: "queue: release", method: "POST", path: "/api/review/release", body: {}, needs: "annotator" },
  { name: "restore discarded", method: "POST", path: "/api/review/restore", body: {}, needs: "annotator" },
  { name: "bulk approve", method: "POST", path: "/api/samples/bulk", body: {}, needs: "annotator" },
  { name: "list bulk actions", method: "GET", path: "/api/bulk-jobs", needs: "viewer" },
  {
    name: "bulk re-run stages",
    method: "POST",
    path: "/api/samples/bulk",
    body: { target: { kind: "selection", samples: [{ id: 999999, version: 1 }] }, action: { action: "rerun", stages: "rules" } },
    needs: "admin",
  },
  { name: "export a table filter", method: "GET", path: "/api/samples/export?format=xlam&q=zz-no-such-text-zz", needs: "admin" },
  { name: "export a selection", method: "POST", path: "/api/samples/export", body: {}, needs: "admin" },
  { name: "check a dataset export", method: "GET", path: "/api/datasets/no-such-dataset/export/check?format=xlam", needs: "admin" },
  { name: "check a table filter export", method: "GET", path: "/api/samples/export/check?format=xlam&q=zz-no-such-text-zz", needs: "admin" },
  { name: "check a selection export", method: "POST", path: "/api/samples/export/check", body: {}, needs: "admin" },
  { name: "read settings", method: "GET", path: "/api/settings", needs: "admin" },
  { name: "change settings", method: "PATCH", path: "/api/settings", body: { timeoutMs: "not a number" }, needs: "admin" },
  { name: "test the LLM connection", method: "POST", path: "/api/settings/test", body: { baseURL: "not a url" }, needs: "admin" },
  { name: "list users", method: "GET", path: "/api/users", needs: "admin" },
  { name: "add a user", method: "POST", path: "/api/users", body: {}, needs: "admin" },
  { name: "change a role", method: "PATCH", path: "/api/users", body: {}, needs: "admin" },
];

test("every role gets exactly what it may do", async () => {
  const baseURL = `http://127.0.0.1:${E2E_WEB_PORT}`;
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const who of WHO) {
    const context = await playwrightRequest.newContext({
      baseURL,
      storageState: who === "anonymous" ? { cookies: [], origins: [] } : storageStatePath(who),
    });
    for (const action of ACTIONS) {
      const response = await context.fetch(action.path, {
        method: action.method,
        ...(action.body === undefined ? {} : { data: action.body }),
        maxRedirects: 0,
      });
      const status = response.status();
      const outcome = status === 401 ? "signed out" : status === 403 ? "denied" : "allowed";
      outcomes.push(`${who} × ${action.name}: ${outcome}`);
      expected.push(`${who} × ${action.name}: ${who === "anonymous" ? "signed out" : RANK[who] >= RANK[action.needs] ? "allowed" : "denied"}`);
    }
    await context.dispose();
  }
  expect(outcomes).toEqual(expected);
});
