import { describe, expect, it } from "vitest";
import { loadLlmConfig } from "@/lib/llm/config";
import { applyPanelsUpdate, memberClientConfigs, memberEndpoints, panelHostProblems, panelsView, PanelsUpdate, withoutKeys, withSavedKeys, type SavedPanel } from "./panels";

const A = "http://judge-a.example/v1";
const B = "http://judge-b.example/v1";
const update = (input: unknown) => PanelsUpdate.parse(input);

describe("judge panel settings", () => {
  it("name the field at fault: rule, member count, a key without a base URL of its own, a name used twice", () => {
    const result = PanelsUpdate.safeParse({
      panels: [
        { name: "trio", rule: "most", members: [{ model: "a" }] },
        { name: "Trio", rule: "all", members: [{ model: "a", apiKey: "sk-1" }, { model: "" }] },
      ],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        "panels.0.rule: must be one of all, majority, any",
        "panels.0.members: a panel needs at least 2 members",
        "panels.1.members.1.model: is needed",
      ]),
    );
    const keyless = PanelsUpdate.safeParse({ panels: [{ name: "trio", rule: "all", members: [{ model: "a", apiKey: "sk-1" }, { model: "b" }] }, { name: "TRIO", rule: "any", members: [{ model: "a" }, { model: "b" }] }] });
    expect(keyless.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "panels.0.members.0.apiKey: needs a base URL of its own (a member without one uses the judge's base URL and key)",
      'panels.1.name: "TRIO" is used by another panel',
    ]);
  });

  it("binds a member's key to the base URL it is typed with; keeps it only while that URL stays; never shows it", () => {
    const first = applyPanelsUpdate([], update({ panels: [{ name: "duo", rule: "all", members: [{ model: "a", baseURL: A, apiKey: "sk-a" }, { model: "b" }] }] }));
    expect(first[0].members[0]).toEqual({ model: "a", baseURL: A, apiKey: "sk-a", apiKeyBaseURL: A });
    expect(panelsView(first)[0].members).toEqual([
      { model: "a", baseURL: A, keySet: true, promptVersion: null },
      { model: "b", baseURL: null, keySet: false, promptVersion: null },
    ]);
    expect(JSON.stringify(panelsView(first))).not.toContain("sk-a");

    const kept = applyPanelsUpdate(first, update({ panels: [{ name: "duo", rule: "majority", members: [{ model: "a2", baseURL: A, keepKey: true }, { model: "b" }] }] }));
    expect(kept[0].members[0]).toMatchObject({ apiKey: "sk-a", apiKeyBaseURL: A });
    // Pointed at another server, the key is not kept: it must be typed again for that URL.
    const moved = applyPanelsUpdate(first, update({ panels: [{ name: "duo", rule: "all", members: [{ model: "a", baseURL: B, keepKey: true }, { model: "b" }] }] }));
    expect(moved[0].members[0]).toEqual({ model: "a", baseURL: B });
  });

  it("gives each member its own base URL and key, or the judge's; a run's recorded panel gets keys only for the same URL", () => {
    const judge = loadLlmConfig({ STUDIO_LLM_BASE_URL: "http://main.example/v1", STUDIO_LLM_MODEL: "m", STUDIO_LLM_API_KEY: "sk-main" });
    const saved: SavedPanel[] = [{ name: "duo", rule: "all", members: [{ model: "a", baseURL: A, apiKey: "sk-a", apiKeyBaseURL: A }, { model: "b", promptVersion: 2 }] }];
    const recorded = withoutKeys(saved[0]);
    expect(JSON.stringify(recorded)).not.toContain("sk-a");
    const configs = memberClientConfigs(withSavedKeys(recorded, saved), judge, null);
    expect(configs.map((c) => [c.baseURL, c.apiKey, c.model])).toEqual([
      [A, "sk-a", "a"],
      ["http://main.example/v1", "sk-main", "b"],
    ]);
    // The panel was changed to point the member elsewhere since the run started: the run's member gets no key.
    const repointed: SavedPanel[] = [{ ...saved[0], members: [{ model: "a", baseURL: B, apiKey: "sk-b", apiKeyBaseURL: B }, saved[0].members[1]] }];
    expect(memberClientConfigs(withSavedKeys(recorded, repointed), judge, null)[0]).toMatchObject({ baseURL: A, apiKey: undefined });
    expect(() => memberClientConfigs(saved[0], judge, ["main.example"])).toThrow(/judge-a\.example, which is not in STUDIO_LLM_ALLOWED_HOSTS/);
  });

  it("refuses a member base URL outside STUDIO_LLM_ALLOWED_HOSTS, by field", () => {
    const problems = panelHostProblems(update({ panels: [{ name: "duo", rule: "all", members: [{ model: "a" }, { model: "b", baseURL: B }] }] }), ["judge-a.example"]);
    expect(Object.keys(problems)).toEqual(["panels.0.members.1.baseURL"]);
  });

  it("gives a batch run each member base URL once, with its key; refuses one base URL asked with two keys", () => {
    const judge = loadLlmConfig({ STUDIO_LLM_BASE_URL: "http://main.example/v1", STUDIO_LLM_MODEL: "m", STUDIO_LLM_API_KEY: "sk-main" });
    const member = (model: string, baseURL?: string, apiKey?: string) => ({ model, ...(baseURL ? { baseURL } : {}), ...(apiKey ? { apiKey, apiKeyBaseURL: baseURL } : {}) });
    const stage4: SavedPanel = { name: "duo", rule: "all", members: [member("a", A, "sk-a"), member("m")] };
    const stage5: SavedPanel = { name: "trio", rule: "all", members: [member("a2", A, "sk-a"), member("b", B), member("m")] };
    const endpoints = memberEndpoints([stage4, stage5], judge, null);
    // The judge's endpoint is not among them; a member without a key saved for its URL sends none (not the judge's).
    expect([...endpoints].map(([url, c]) => [url, c.apiKey])).toEqual([
      [A, "sk-a"],
      [B, undefined],
    ]);
    const twoKeys: SavedPanel = { ...stage5, members: [member("a2", A, "sk-other"), member("m")] };
    expect(() => memberEndpoints([stage4, twoKeys], judge, null)).toThrow(`judge panel "trio": a2 asks ${A} with another key than a; in mode batch the batches sent to one base URL go with one key`);
  });
});
