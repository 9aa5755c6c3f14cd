// The Settings page's connection test: one tiny judge request, to find out which response format the judge model's
// server takes (structured outputs, JSON mode or plain text) before a run relies on it.
import { JUDGE_ANSWER_RULES, definePrompt } from "./common";

export const judgeProbeV1 = definePrompt<Record<string, never>>(
  "judge-probe",
  1,
  "judge",
  `This is a connection test of a judge for function-calling training data. Nothing is to be judged: pass.

${JUDGE_ANSWER_RULES}
- "evidence": {} (an empty object).`,
  () => "Answer pass, with the reason \"connection test\".",
);
