import { Badge, type BadgeTone } from "@/components/ui/Badge";

export { STAGE_NAMES } from "@/lib/pipeline/stage-registry";

const OUTCOME_TONE: Record<string, BadgeTone> = { pass: "green", fail: "rose", skip: "neutral", error: "amber" };

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge tone={OUTCOME_TONE[outcome] ?? "neutral"} dot>
      {outcome}
    </Badge>
  );
}
