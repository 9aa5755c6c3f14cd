import { describe, expect, it } from "vitest";
import type { Tool } from "@/lib/samples/types";
import { answerAgrees, callsAgree, sameValue, standardize } from "./agreement";

const TOOLS: Tool[] = [
  {
    name: "get_weather",
    description: "Current weather.",
    parameters: { city: { type: "str", description: "City." }, unit: { type: "str, optional", description: "Unit.", default: "celsius" } },
  },
  {
    name: "get_time",
    description: "Local time.",
    parameters: { type: "object", properties: { city: { type: "string" }, format: { type: "string", default: "24h" } }, required: ["city"] },
  },
  { name: "area", description: "Area.", parameters: { base: { type: "float" }, height: { type: "float" } } },
];
const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });

describe("callsAgree", () => {
  it("matches parallel calls in any order", () => {
    const reference = [call("get_weather", { city: "Lyon" }), call("get_weather", { city: "Oslo" })];
    expect(callsAgree(reference, [call("get_weather", { city: "Oslo" }), call("get_weather", { city: "Lyon" })], TOOLS)).toEqual({ agrees: true });
    expect(callsAgree(reference, [call("get_weather", { city: "Oslo" }), call("get_weather", { city: "Oslo" })], TOOLS)).toMatchObject({ agrees: false });
  });

  it("says when the model picks another of multiple functions, or calls a different number of times", () => {
    expect(callsAgree([call("get_time", { city: "Lyon" })], [call("get_weather", { city: "Lyon" })], TOOLS)).toEqual({
      agrees: false,
      reason: "calls get_weather where the reference calls get_time",
    });
    expect(callsAgree([call("get_time", { city: "Lyon" })], [], TOOLS)).toEqual({ agrees: false, reason: "0 calls where the reference makes 1 call" });
  });

  it("takes an optional argument left out as its default, either way round, and nothing else", () => {
    expect(callsAgree([call("get_weather", { city: "Lyon" })], [call("get_weather", { city: "Lyon", unit: "celsius" })], TOOLS)).toEqual({ agrees: true });
    expect(callsAgree([call("get_time", { city: "Lyon", format: "24h" })], [call("get_time", { city: "Lyon" })], TOOLS)).toEqual({ agrees: true });
    expect(callsAgree([call("get_weather", { city: "Lyon" })], [call("get_weather", { city: "Lyon", unit: "kelvin" })], TOOLS)).toEqual({
      agrees: false,
      reason: 'get_weather(unit="kelvin") where the reference has "celsius"',
    });
    expect(callsAgree([call("get_weather", { city: "Lyon", unit: "celsius" })], [call("get_weather", {})], TOOLS)).toEqual({
      agrees: false,
      reason: "get_weather(…) leaves out city",
    });
    expect(callsAgree([call("get_weather", { city: "Lyon" })], [call("get_weather", { city: "Lyon", country: "FR" })], TOOLS)).toEqual({
      agrees: false,
      reason: "get_weather(country=…) is not in the reference",
    });
  });

  it("normalises values as BFCL does: strings, numbers, lists in order, objects by key", () => {
    expect(callsAgree([call("get_weather", { city: "San Francisco, CA" })], [call("get_weather", { city: "san francisco CA" })], TOOLS)).toEqual({ agrees: true });
    expect(callsAgree([call("area", { base: 10.0, height: 5 })], [call("area", { base: 10, height: 5.0 })], TOOLS)).toEqual({ agrees: true });
    expect(callsAgree([call("area", { base: 10, height: 5 })], [call("area", { base: "10", height: 5 })], TOOLS)).toMatchObject({ agrees: false });
    expect(sameValue(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameValue({ x: 1, y: ["New York"] }, { y: ["new-york"], x: 1.0 })).toBe(true);
    expect(sameValue({ x: 1 }, { x: 1, y: 2 })).toBe(false);
    expect(standardize("It's 5 p.m.")).toBe('it"s5pm');
  });
});

describe("answerAgrees", () => {
  const calls = (...list: ReturnType<typeof call>[]) => ({ kind: "calls" as const, calls: list });
  const text = (t: string) => ({ kind: "text" as const, text: t });

  it("compares calls as callsAgree, text with text, and nothing without a reference", () => {
    expect(answerAgrees(calls(call("get_weather", { city: "Lyon" })), calls(call("get_weather", { city: "lyon" })), TOOLS)).toEqual({ agrees: true });
    expect(answerAgrees(text("No tool fits."), text("I cannot do that with these tools."), TOOLS)).toEqual({ agrees: true });
    expect(answerAgrees(text("No tool fits."), calls(call("area", { base: 1, height: 2 })), TOOLS)).toEqual({ agrees: false, reason: "1 call where the reference calls nothing" });
    expect(answerAgrees(calls(call("area", { base: 1, height: 2 })), text("No."), TOOLS)).toEqual({ agrees: false, reason: "answers in text where the reference makes 1 call" });
    expect(answerAgrees(null, text("No."), TOOLS)).toBeNull();
  });

  it("matches parallel-multiple calls (two functions, each called twice) in any order", () => {
    const reference = calls(call("get_weather", { city: "Lyon" }), call("get_time", { city: "Lyon" }), call("get_weather", { city: "Oslo" }), call("get_time", { city: "Oslo", format: "24h" }));
    const shuffled = calls(call("get_time", { city: "Oslo" }), call("get_weather", { city: "OSLO" }), call("get_time", { city: "Lyon" }), call("get_weather", { city: "Lyon", unit: "celsius" }));
    expect(answerAgrees(reference, shuffled, TOOLS)).toEqual({ agrees: true });
    const oneWrong = calls(call("get_time", { city: "Oslo" }), call("get_weather", { city: "Oslo" }), call("get_time", { city: "Lyon" }), call("get_weather", { city: "Paris" }));
    expect(answerAgrees(reference, oneWrong, TOOLS)).toMatchObject({ agrees: false });
  });
});
