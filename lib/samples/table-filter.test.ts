import { describe, expect, it } from "vitest";
import { STAGE_ID_MESSAGE } from "@/lib/pipeline/stage-registry";
import {
  DEFAULT_FILTER,
  firstPage,
  isFiltered,
  parseCursor,
  parseTableFilter,
  readTableFilter,
  selectionOnly,
  tableFilterToParams,
  type TableFilter,
} from "./table-filter";

const full: TableFilter = {
  status: ["flagged", "discarded"],
  datasetId: 7,
  failingStage: 4,
  turns: "2+",
  failingTurn: 3,
  errorToolResponse: true,
  outcome: "error",
  outcomeStage: 3,
  decidedBy: "llm",
  tool: "get_weather",
  q: '"new york" -rain',
  sort: "updated",
  dir: "desc",
  after: { key: "2026-11-25T02:00:00.123Z", id: 42 },
  size: 100,
  columns: ["id", "status", "query"],
};

describe("table filter in the URL", () => {
  it("is plain /samples for the default table", () => {
    expect(tableFilterToParams(DEFAULT_FILTER).toString()).toBe("");
    expect(parseTableFilter(new URLSearchParams())).toEqual(DEFAULT_FILTER);
  });

  it("round-trips every field through the query string", () => {
    const params = tableFilterToParams(full);
    expect(parseTableFilter(new URLSearchParams(params.toString()))).toEqual(full);
    expect(params.get("status")).toBe("flagged,discarded");
    expect(params.get("after")).toBe("2026-11-25T02:00:00.123Z_42");
  });

  it("reads Next's searchParams records, repeated and comma-separated lists alike", () => {
    const filter = parseTableFilter({ status: ["flagged", "passed,text"], dataset: "3", cols: undefined });
    expect(filter.status).toEqual(["flagged", "passed", "text"]);
    expect(filter.datasetId).toBe(3);
    expect(filter.columns).toEqual(DEFAULT_FILTER.columns);
  });

  it("reads the turns filter as exactly N or at least N+, and refuses anything else by name", () => {
    expect(parseTableFilter(new URLSearchParams("turns=3&fturn=2"))).toMatchObject({ turns: "3", failingTurn: 2 });
    expect(parseTableFilter(new URLSearchParams("turns=2%2B")).turns).toBe("2+");
    const { filter, issues } = readTableFilter(new URLSearchParams("turns=two&fturn=0"));
    expect(filter).toEqual(DEFAULT_FILTER);
    expect(issues.map((i) => i.message)).toEqual(['turns: must be a number of turns, or one followed by + for "at least" (2+)', "fturn: must be 1 or more"]);
  });

  it("drops bad values to their defaults and names each parameter at fault", () => {
    const { filter, issues } = readTableFilter(
      new URLSearchParams("status=flagged,bogus&failing=9&by=robot&size=33&sort=name&dataset=abc&q=ok&cols=id,nope"),
    );
    expect(filter).toEqual({ ...DEFAULT_FILTER, q: "ok" });
    expect(issues.map((i) => i.field).sort()).toEqual(["by", "cols", "dataset", "failing", "size", "sort", "status"]);
    expect(issues.find((i) => i.field === "failing")?.message).toBe(`failing: ${STAGE_ID_MESSAGE}`);
    expect(issues.find((i) => i.field === "size")?.message).toBe("size: must be one of 25, 50, 100, 200");
  });

  it("keeps columns in table order whatever order the URL lists them", () => {
    expect(parseTableFilter({ cols: "updated,id" }).columns).toEqual(["id", "updated"]);
  });

  it("reads a cursor against the sort it belongs to", () => {
    expect(parseCursor("42", "id")).toEqual({ key: null, id: 42 });
    expect(parseCursor("flagged_42", "status")).toEqual({ key: "flagged", id: 42 });
    expect(parseCursor("42", "updated")).toBeNull();
    expect(parseCursor("yesterday_42", "updated")).toBeNull();
    expect(parseCursor("flagged_42", "id")).toBeNull();
    const { filter, issues } = readTableFilter({ sort: "status", after: "42" });
    expect(filter.after).toBeUndefined();
    expect(issues).toEqual([{ field: "after", message: "after: is not a page cursor for sort=status" }]);
  });

  it("refuses after and before together", () => {
    const { filter, issues } = readTableFilter({ after: "5", before: "9" });
    expect(filter.after ?? filter.before).toBeUndefined();
    expect(issues[0].field).toBe("before");
  });

  it("ignores a stage for the outcome filter without an outcome", () => {
    const { filter, issues } = readTableFilter({ at: "2" });
    expect(filter.outcomeStage).toBeUndefined();
    expect(issues[0].field).toBe("at");
  });

  it("tells selection from presentation", () => {
    expect(firstPage(full).after).toBeUndefined();
    const selection = selectionOnly(full);
    expect(selection).toMatchObject({ status: full.status, tool: full.tool, q: full.q, sort: "id", size: 50 });
    expect(selection.after).toBeUndefined();
    expect(isFiltered(full)).toBe(true);
    expect(isFiltered({ ...DEFAULT_FILTER, sort: "status", size: 200 })).toBe(false);
  });
});
