// A saved judge panel made ready to ask: one client per member (its own base URL with the key saved for it now, or
// the judge's base URL and key). Runs and calibrations both judge with it.
import "server-only";
import { createLlmClient, type LlmClient } from "@/lib/llm/client";
import { llmEnvValues, type LlmConfig } from "@/lib/llm/config";
import type { JudgePanel } from "@/lib/pipeline/types";
import { memberClientConfigs, withSavedKeys, type SavedPanel } from "./panels";

/** `recorded`: the panel as a run or calibration recorded it (no keys); `wrap`: e.g. the run's rate limit. */
export function panelWithClients(recorded: SavedPanel, saved: readonly SavedPanel[], config: LlmConfig, wrap: (client: LlmClient) => LlmClient = (c) => c): JudgePanel {
  const panel = withSavedKeys(recorded, saved);
  const members = memberClientConfigs(panel, config, llmEnvValues().allowedHosts).map((clientConfig, i) => ({
    judge: wrap(createLlmClient(clientConfig)),
    model: clientConfig.model,
    promptVersion: panel.members[i].promptVersion,
  }));
  return { name: panel.name, rule: panel.rule, members };
}
