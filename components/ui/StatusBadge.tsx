import type { SampleStatus } from "@/lib/samples/types";
import { Badge, type BadgeTone } from "./Badge";

/** One colour per sample status, used on every page. */
export const STATUS_TONE: Record<SampleStatus, BadgeTone> = {
  pending: "neutral",
  passed: "green",
  flagged: "amber",
  text: "sky",
  approved: "violet",
  discarded: "rose",
};

export const STATUS_LABEL: Record<SampleStatus, string> = {
  pending: "Pending",
  passed: "Passed",
  flagged: "Flagged",
  text: "Text answer",
  approved: "Approved",
  discarded: "Discarded",
};

export const STATUS_HELP: Record<SampleStatus, string> = {
  pending: "Waiting for the pipeline",
  passed: "Passed every pipeline stage",
  flagged: "A stage flagged it for human review",
  text: "No call fits: the answer is a statement",
  approved: "Approved by a reviewer",
  discarded: "Dropped by a stage or a reviewer",
};

export function StatusBadge({ status, count }: { status: SampleStatus; count?: number }) {
  return (
    <Badge tone={STATUS_TONE[status]} dot title={STATUS_HELP[status]}>
      {STATUS_LABEL[status]}
      {count !== undefined ? <span className="tabular font-semibold">{count.toLocaleString("en-US")}</span> : null}
    </Badge>
  );
}
