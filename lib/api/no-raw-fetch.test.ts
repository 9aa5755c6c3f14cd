// The browser calls the studio's API only through lib/api (the typed `api`, `apiUpload`, and SWR's `useApi` for
// reading and polling): a page's own fetch, XMLHttpRequest or setInterval would bring back hand-written URLs, cast
// JSON and timers that outlive their page. Scans components/ and app/ (app/api is the server) and names each use.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const RAW_CALL = /\bfetch\(|\bXMLHttpRequest\b|\bsetInterval\(/;

/** Files still allowed their raw calls, each with why; a file here that no longer has one fails (drop it then). */
const ALLOWED: Record<string, string> = {
  // Calls no API: refreshes the dashboard's server components (router.refresh) while a run is in progress.
  "components/dashboard/LiveRefresh.tsx": "refreshes server components, fetches nothing itself",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join("app", "api") ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

it("calls the API only through lib/api: no fetch, XMLHttpRequest or setInterval in components/ or app/ (but app/api)", () => {
  const found: string[] = [];
  const stillRaw = new Set<string>();
  for (const file of [...sourceFiles("components"), ...sourceFiles("app")]) {
    const name = file.split(path.sep).join("/");
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (!RAW_CALL.test(line)) return;
        if (name in ALLOWED) stillRaw.add(name);
        else found.push(`${name}:${index + 1}: ${line.trim()}`);
      });
  }
  expect(found, "use lib/api (api, useApi, invalidate) instead").toEqual([]);
  // A file converted, moved or deleted leaves the list, so the list stays the work that is left.
  expect(Object.keys(ALLOWED).filter((name) => !stillRaw.has(name)), "no raw calls left here: remove from ALLOWED").toEqual([]);
});
