// A judge panel's verdict from its members' (BalanceSFT: several judges of different model families must agree).
// The rule says how many passes it takes: `all`, a `majority` of the members, or `any`. A member that errored counts
// as neither a pass nor a fail: the panel says `error` unless the others already decide under the rule. Pure.

export const PANEL_RULES = ["all", "majority", "any"] as const;
export type PanelRule = (typeof PANEL_RULES)[number];

/** How each rule is said to people (the Settings page, the run form). */
export const PANEL_RULE_LABELS: Record<PanelRule, string> = {
  all: "all must pass",
  majority: "a majority must pass",
  any: "one pass is enough",
};

export type MemberOutcome = "pass" | "fail" | "error";

export interface PanelVote {
  outcome: MemberOutcome;
  passes: number;
  fails: number;
  errors: number;
  /** "2 of 3 passed (majority)", "1 of 3 errored; 2 passed, all must (all)". */
  summary: string;
}

export function panelVote(rule: PanelRule, members: readonly MemberOutcome[]): PanelVote {
  const n = members.length;
  const passes = members.filter((m) => m === "pass").length;
  const fails = members.filter((m) => m === "fail").length;
  const errors = n - passes - fails;
  const needed = rule === "all" ? n : rule === "any" ? 1 : Math.floor(n / 2) + 1;
  // Decided whatever the errored members would have said: enough passes already, or too many fails to reach them.
  const outcome: MemberOutcome = passes >= needed ? "pass" : n - fails < needed ? "fail" : "error";
  const errored = errors ? `; ${errors} of ${n} gave no verdict` : "";
  return { outcome, passes, fails, errors, summary: `${passes} of ${n} passed, ${needed} needed (${rule})${errored}` };
}
