import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { webServerCommand } from "@/lib/cli/start";
import { PIPELINE_NODE_FLAGS } from "./node-flags";

describe("the Node flags of the processes that work on runs", () => {
  it("are on every package.json script that starts one", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    for (const name of ["start", "studio", "worker", "bench"]) {
      const words = scripts[name].split(/\s+/);
      for (const flag of PIPELINE_NODE_FLAGS) expect(words, `npm run ${name}`).toContain(flag);
    }
  });

  it("are given to the web server npm start runs (it hosts the worker), before the script", () => {
    const [command, args] = webServerCommand(["-p", "3000"]);
    expect(command).toBe(process.execPath);
    expect(args.slice(0, PIPELINE_NODE_FLAGS.length)).toEqual(PIPELINE_NODE_FLAGS);
    expect(args.slice(PIPELINE_NODE_FLAGS.length)).toEqual([expect.stringMatching(/next\/dist\/bin\/next$/), "start", "-p", "3000"]);
  });
});
