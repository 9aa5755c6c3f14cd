import { describe, expect, it } from "vitest";
import { objectTexts, parseToolsJson } from "./json-line";

describe("objectTexts", () => {
  it("splits a JSON array of objects into the objects' texts, strings with brackets, quotes and escapes included", () => {
    const tools = [{ name: "a", description: 'say "}]" and \\' }, { name: "b", parameters: { x: { type: "List[int]", default: [1, { y: "{" }] } } }, {}];
    const texts = objectTexts(JSON.stringify(tools));
    expect(texts).toEqual(tools.map((tool) => JSON.stringify(tool)));
    expect(objectTexts(' [ {"a": 1} ,\n {"b": [2]} ] ')).toEqual(['{"a": 1}', '{"b": [2]}']);
    expect(objectTexts("[]")).toEqual([]);
  });

  it("gives null for anything but an array of objects, so the caller parses it", () => {
    for (const text of ['{"a": 1}', "[1, 2]", '[{"a": 1}, "x"]', '[{"a": 1}', '[{"a": "1}]', '[{"a": 1}] x', "[{}{}]"]) expect(objectTexts(text), text).toBeNull();
  });
});

describe("parseToolsJson", () => {
  it("gives the tools JSON.parse gives, a tool seen before as the same object, and parses anything else whole", () => {
    const weather = { name: "weather", parameters: { city: { type: "str" } } };
    const first = parseToolsJson(JSON.stringify([weather, { name: "time" }]));
    const second = parseToolsJson(JSON.stringify([{ name: "news" }, weather]));
    expect(first).toEqual([weather, { name: "time" }]);
    expect(second).toEqual([{ name: "news" }, weather]);
    expect(second[1]).toBe(first[0]);
    expect(parseToolsJson('[{"name": "a"}, 3]')).toEqual([{ name: "a" }, 3]);
  });
});
