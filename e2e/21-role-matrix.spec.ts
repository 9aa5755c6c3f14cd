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
  method: "GET" | "POST" | "PATCH";
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
