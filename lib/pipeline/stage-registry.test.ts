// The registry is the one list of stages: these tests pin what the rest of the studio derives from it, so a stage
// added to it shows up everywhere (and one missing its code or prompt fails here).
import { describe, expect, it } from "vitest";
import * as prompts from "@/lib/llm/prompts";
import { buildFunnel } from "@/lib/dashboard/funnel";
import { SETTING_FIELDS, SETTING_LABELS } from "@/lib/settings/llm-settings";
import { readTableFilter } from "@/lib/samples/table-filter";
import { LLM_ENV, loadLlmConfig, modelFor } from "@/lib/llm/config";
import { invalidDecision } from "@/lib/review/decisions";
import { parseGroup } from "@/components/discarded/labels";
import { JUDGED_STAGE_IDS, MODEL_STAGE_IDS, STAGE_IDS, STAGE_NAMES, STAGE_REGISTRY, compareStages, stageModelEnv, stageModelField } from "./stage-registry";
import { STAGES } from "./stages";
import { judgeAgreement } from "@/lib/dashboard/agreement";

describe("the stage registry", () => {
  it("has one entry per id, each with one name, and code for each, in the registry's order", () => {
    expect(new Set(STAGE_IDS).size).toBe(STAGE_IDS.length);
    expect(new Set(STAGE_REGISTRY.map((s) => s.name)).size).toBe(STAGE_IDS.length);
    expect(STAGES.map((s) => s.id)).toEqual(STAGE_IDS);
  });

  it("keeps the paper's five stages under their stored ids and one spelling of each name", () => {
    const paper = STAGE_REGISTRY.filter((s) => s.id >= 1 && s.id <= 5).map((s) => [s.id, s.name]);
    expect(paper).toEqual([
      [1, "Function Call Classification"],
      [2, "Query & Tool Identification"],
      [3, "CoT Identification"],
      [4, "Function & Parameter Identification"],
      [5, "Format Identification"],
    ]);
  });

  it("names only judge prompts that exist", () => {
    const known = new Set(Object.values(prompts).flatMap((p) => (typeof p === "object" && "promptVersion" in p ? [p.promptVersion] : [])));
    for (const stage of STAGE_REGISTRY) for (const judge of stage.judges) expect(known, `stage ${stage.id}`).toContain(judge);
  });

  it("lists the answer checks last (the orchestrator's regeneration loop runs them as a block)", () => {
    const flags = STAGE_REGISTRY.map((s) => s.checksAnswer);
    expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    // A stage that regenerates must check the answer it regenerates; exactly one stage sorts out text answers.
    for (const stage of STAGE_REGISTRY) if (stage.onFail === "regenerate") expect(stage.checksAnswer).toBe(true);
    expect(STAGE_REGISTRY.filter((s) => s.onFail === "save-as-text")).toHaveLength(1);
  });

  it("orders stage ids by the registry, not by number", () => {
    expect([...STAGE_IDS].reverse().sort(compareStages)).toEqual(STAGE_IDS);
  });
});

describe("what is derived from the registry", () => {
  it("the table's stage filters accept every registry stage and refuse anything else", () => {
    for (const id of STAGE_IDS) {
      const { filter, issues } = readTableFilter(new URLSearchParams(`failing=${id}&outcome=fail&at=${id}`));
      expect(issues).toEqual([]);
      expect(filter).toMatchObject({ failingStage: id, outcomeStage: id });
    }
    const outside = Math.max(...STAGE_IDS) + 1;
    expect(readTableFilter(new URLSearchParams(`failing=${outside}`)).issues.map((i) => i.field)).toEqual(["failing"]);
  });

  it("the dashboard funnel has a row per registry stage, in order, with its name", () => {
    const groups = STAGE_IDS.map((id) => ({ status: "discarded" as const, stage: id, code: "x", stageOutcomes: [`${id}:fail`], count: 1 }));
    const funnel = buildFunnel(groups);
    expect(funnel.stages.map((s) => [s.stage, s.name, s.fail])).toEqual(STAGE_IDS.map((id) => [id, STAGE_NAMES[id], 1]));
  });

  it("the agreement card has a row per judged stage", () => {
    expect(judgeAgreement([]).map((r) => r.stage)).toEqual(JUDGED_STAGE_IDS);
  });

  it("settings and environment have a judge model per stage that has its own, and it is used for that stage", () => {
    expect(MODEL_STAGE_IDS.length).toBeGreaterThan(0);
    const env: Record<string, string> = { STUDIO_LLM_BASE_URL: "http://127.0.0.1:1/v1", STUDIO_LLM_MODEL: "default" };
    for (const id of MODEL_STAGE_IDS) {
      const field = stageModelField(id);
      expect(SETTING_FIELDS).toContain(field);
      expect(SETTING_LABELS[field]).toBe(`Stage ${id} model`);
      expect(LLM_ENV[field]).toBe(stageModelEnv(id));
      env[stageModelEnv(id)] = `model-${id}`;
    }
    const config = loadLlmConfig(env);
    for (const id of STAGE_IDS) expect(modelFor(config, id)).toBe(MODEL_STAGE_IDS.includes(id as never) ? `model-${id}` : "default");
  });

  it("a reviewer can blame any registry stage, and no other, in a discard; the discard audit's links read them", () => {
    const discard = (stage: number) => invalidDecision({ action: "discard", author: "human:ann", reason: "r", stage });
    for (const id of STAGE_IDS) {
      expect(discard(id)).toBeNull();
      expect(parseGroup(String(id), "llm")).toEqual({ stage: id, code: "llm" });
    }
    expect(discard(Math.max(...STAGE_IDS) + 1)).toMatch(/^stage must be a stage/);
    expect(parseGroup(String(Math.max(...STAGE_IDS) + 1), "llm")).toBeNull();
  });
});
