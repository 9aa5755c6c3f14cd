import { Badge, type BadgeTone } from "@/components/ui/Badge";

/** The five stages' names, as the paper calls them. */
export const STAGE_NAMES: Record<number, string> = {
  1: "Function call classification",
  2: "Query & tool identification",
  3: "CoT identification",
  4: "Function & parameter identification",
  5: "Format identification",
};

const OUTCOME_TONE: Record<string, BadgeTone> = { pass: "green", fail: "rose", skip: "neutral", error: "amber" };

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge tone={OUTCOME_TONE[outcome] ?? "neutral"} dot>
      {outcome}
    </Badge>
  );
}
