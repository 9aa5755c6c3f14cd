// Judge panels as defined on the Settings page (issue 13 §1): a named panel of N judge configurations — a model,
// optionally a base URL and key of its own, optionally a prompt version — and the rule that turns their votes into
// the panel's verdict (panel-vote.ts). Pure: lib/settings/store.ts reads and writes them (settings key
// `judge-panels`), lib/jobs/pipeline-chunk.ts makes the members' clients.
//
// Keys follow the rule of the judge's own key (lib/llm/config.ts keyFor): a member's key is saved with the base URL
// it was typed for and is only ever sent there. A member without a base URL of its own asks the judge's base URL
// with the judge's key; a member whose base URL changes loses its key until it is typed again.
import { z } from "zod";
import { hostProblem, LLM_FIELD_SCHEMAS, type LlmConfig } from "@/lib/llm/config";
import type { LlmClientConfig } from "@/lib/llm/client";
import { PANEL_RULES, type PanelRule } from "./panel-vote";

export const MAX_PANEL_MEMBERS = 7;
export const MAX_PANELS = 20;

/** "" and null are "not given", as in the settings form. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const PanelName = z.string().trim().min(1, "is needed").max(60, "is too long").regex(/^[\w .-]+$/, "may hold letters, digits, spaces, dots, dashes and underscores only");

const MemberInput = z.object({
  model: LLM_FIELD_SCHEMAS.model.min(1, "is needed"),
  baseURL: optional(LLM_FIELD_SCHEMAS.baseURL),
  /** A new key for the member's base URL. Write-only: the browser never gets it back. */
  apiKey: optional(LLM_FIELD_SCHEMAS.apiKey),
  /** Keep the key saved for this member (same panel, same place), if its base URL is still the one it was saved for. */
  keepKey: z.boolean().optional(),
  /** The version of the stage's judge prompt this member is asked with; none: the stage's current prompt. */
  promptVersion: optional(z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(99, "must be at most 99")),
});

const PanelInput = z.object({
  name: PanelName,
  /** The name the panel was saved under, when it is renamed: its members' saved keys go with it. */
  was: optional(PanelName),
  rule: z.enum(PANEL_RULES, { message: `must be one of ${PANEL_RULES.join(", ")}` }),
  members: z.array(MemberInput).min(2, "a panel needs at least 2 members").max(MAX_PANEL_MEMBERS, `a panel has at most ${MAX_PANEL_MEMBERS} members`),
});

/** PUT /api/settings/panels: the whole list of panels (a panel left out is deleted). */
export const PanelsUpdate = z
  .object({ panels: z.array(PanelInput).max(MAX_PANELS, `at most ${MAX_PANELS} panels`) })
  .superRefine((update, ctx) => {
    const seen = new Set<string>();
    update.panels.forEach((panel, i) => {
      const key = panel.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["panels", i, "name"], message: `"${panel.name}" is used by another panel` });
      seen.add(key);
      panel.members.forEach((member, j) => {
        if (member.apiKey && !member.baseURL) {
          ctx.addIssue({ code: "custom", path: ["panels", i, "members", j, "apiKey"], message: "needs a base URL of its own (a member without one uses the judge's base URL and key)" });
        }
      });
    });
  });
export type PanelsUpdate = z.infer<typeof PanelsUpdate>;

export interface SavedMember {
  model: string;
  baseURL?: string;
  apiKey?: string;
  /** The base URL the key was saved for: the only one it is sent to. */
  apiKeyBaseURL?: string;
  promptVersion?: number;
}
export interface SavedPanel {
  name: string;
  rule: PanelRule;
  members: SavedMember[];
}

/** What the settings table holds under `judge-panels`; a stored value that no longer reads is no panels. */
export function readSavedPanels(stored: unknown): SavedPanel[] {
  const panels = (stored as { panels?: unknown } | null)?.panels;
  if (!Array.isArray(panels)) return [];
  return panels.filter((p): p is SavedPanel => PanelName.safeParse(p?.name).success && (PANEL_RULES as readonly string[]).includes(p?.rule) && Array.isArray(p?.members));
}

/** The update as saved: new keys bound to their member's base URL, kept keys only where that URL did not change. */
export function applyPanelsUpdate(saved: readonly SavedPanel[], update: PanelsUpdate): SavedPanel[] {
  return update.panels.map((panel) => {
    const before = saved.find((p) => p.name.toLowerCase() === (panel.was ?? panel.name).toLowerCase());
    return {
      name: panel.name,
      rule: panel.rule,
      members: panel.members.map((member, i) => {
        const out: SavedMember = { model: member.model };
        if (member.baseURL) out.baseURL = member.baseURL;
        if (member.promptVersion !== undefined) out.promptVersion = member.promptVersion;
        const old = before?.members[i];
        if (member.apiKey && member.baseURL) Object.assign(out, { apiKey: member.apiKey, apiKeyBaseURL: member.baseURL });
        else if (member.keepKey && old?.apiKey && member.baseURL && old.apiKeyBaseURL === member.baseURL) Object.assign(out, { apiKey: old.apiKey, apiKeyBaseURL: old.apiKeyBaseURL });
        return out;
      }),
    };
  });
}

/** Base URLs of the update that STUDIO_LLM_ALLOWED_HOSTS does not allow, by field path. */
export function panelHostProblems(update: PanelsUpdate, allowedHosts: string[] | null): Record<string, string> {
  const problems: Record<string, string> = {};
  update.panels.forEach((panel, i) =>
    panel.members.forEach((member, j) => {
      const problem = member.baseURL ? hostProblem(member.baseURL, allowedHosts) : null;
      if (problem) problems[`panels.${i}.members.${j}.baseURL`] = `Base URL ${problem}`;
    }),
  );
  return problems;
}

/** A panel as the browser (an admin's) sees it: no key, only whether one is saved for the member's base URL. */
export interface PanelView {
  name: string;
  rule: PanelRule;
  members: { model: string; baseURL: string | null; keySet: boolean; promptVersion: number | null }[];
}

export function panelsView(saved: readonly SavedPanel[]): PanelView[] {
  return saved.map((panel) => ({
    name: panel.name,
    rule: panel.rule,
    members: panel.members.map((m) => ({
      model: m.model,
      baseURL: m.baseURL ?? null,
      keySet: Boolean(m.apiKey && m.baseURL && m.apiKeyBaseURL === m.baseURL),
      promptVersion: m.promptVersion ?? null,
    })),
  }));
}

/** A panel as a run records it when it starts (pipeline_runs.judge_panels): what judged, without any key. */
export function withoutKeys(panel: SavedPanel): SavedPanel {
  return { ...panel, members: panel.members.map(({ apiKey: _key, apiKeyBaseURL: _for, ...member }) => member) };
}

/**
 * A run's panel with the keys saved now for its members (same panel, same place, same base URL): a key is never
 * stored with the run, and only ever goes to the base URL it was saved for.
 */
export function withSavedKeys(panel: SavedPanel, saved: readonly SavedPanel[]): SavedPanel {
  const current = saved.find((p) => p.name === panel.name);
  return {
    ...panel,
    members: panel.members.map((member, i) => {
      const now = current?.members[i];
      const bound = member.baseURL && now?.apiKey && now.baseURL === member.baseURL && now.apiKeyBaseURL === member.baseURL;
      return bound ? { ...member, apiKey: now.apiKey, apiKeyBaseURL: now.apiKeyBaseURL } : member;
    }),
  };
}

/**
 * Each member's client config: its own base URL with the key saved for it (none if the URL changed since), or the
 * judge's base URL and key; the judge's timeout and retries. Throws when a member's URL is no longer allowed.
 */
export function memberClientConfigs(panel: SavedPanel, judge: LlmConfig, allowedHosts: string[] | null): LlmClientConfig[] {
  return panel.members.map((member) => {
    const common = { model: member.model, timeoutMs: judge.timeoutMs, maxRetries: judge.maxRetries, backoffMs: judge.backoffMs };
    if (!member.baseURL) return { ...common, baseURL: judge.baseURL, apiKey: judge.apiKey };
    const problem = hostProblem(member.baseURL, allowedHosts);
    if (problem) throw new Error(`judge panel "${panel.name}": the base URL of ${member.model} ${problem}`);
    return { ...common, baseURL: member.baseURL, apiKey: member.apiKeyBaseURL === member.baseURL ? member.apiKey : undefined };
  });
}

/**
 * The base URLs of their own that a batch run's panel members ask, each with its client config (the key saved for
 * it, none if the URL changed since): the run's batches for a member go there. One base URL's batches go with one
 * key, so members asking it with different keys are refused (an Error naming them); as memberClientConfigs, throws
 * when a base URL is no longer allowed.
 */
export function memberEndpoints(panels: readonly SavedPanel[], judge: LlmConfig, allowedHosts: string[] | null): Map<string, LlmClientConfig> {
  const endpoints = new Map<string, LlmClientConfig>();
  for (const panel of panels) {
    memberClientConfigs(panel, judge, allowedHosts).forEach((config, i) => {
      const baseURL = panel.members[i].baseURL;
      if (!baseURL) return;
      const known = endpoints.get(baseURL);
      if (known && known.apiKey !== config.apiKey) {
        throw new Error(`judge panel "${panel.name}": ${config.model} asks ${baseURL} with another key than ${known.model}; in mode batch the batches sent to one base URL go with one key`);
      }
      endpoints.set(baseURL, known ?? config);
    });
  }
  return endpoints;
}
