import { describe, expect, it } from "vitest";
import { BUILT_IN_FAKE_ENV, builtInFakeEnv, isBuiltInFake } from "./built-in-fake";

describe("is the judge in force the built-in fake LLM?", () => {
  const started = builtInFakeEnv("http://127.0.0.1:40123/v1");

  it("yes when npm start pointed the studio at it and Settings did not replace it", () => {
    expect(started).toMatchObject({ STUDIO_LLM_BASE_URL: "http://127.0.0.1:40123/v1", [BUILT_IN_FAKE_ENV]: "1" });
    expect(isBuiltInFake(undefined, started)).toBe(true);
    expect(isBuiltInFake("http://127.0.0.1:40123/v1", started)).toBe(true);
  });

  it("no when a real endpoint is saved in Settings, or configured in the environment", () => {
    expect(isBuiltInFake("https://llm.example.org/v1", started)).toBe(false);
    expect(isBuiltInFake(undefined, { STUDIO_LLM_BASE_URL: "http://localhost:8000/v1" })).toBe(false);
    expect(isBuiltInFake(undefined, {})).toBe(false);
  });
});
