// SWR's key for a read names the same request the same way on every render, however the page spells its query: a
// key that changed each render would refetch forever.
import { unstable_serialize } from "swr";
import { expect, it } from "vitest";
import { readKey } from "./use-api";

it("keys a read by its endpoint and URL: an equal request is the same key, another query another key", () => {
  const key = (query: string) => unstable_serialize(readKey("GET /api/samples/tools", { query: new URLSearchParams(query) }));
  expect(key("dataset=a&status=flagged")).toBe(key("dataset=a&status=flagged"));
  expect(key("dataset=a&status=flagged")).not.toBe(key("dataset=b&status=flagged"));
  expect(readKey("GET /api/runs/[id]", { params: { id: 4 } })).toEqual(["GET /api/runs/[id]", "/api/runs/4"]);
});
