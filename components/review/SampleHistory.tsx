import { formatDateTime } from "@/components/datasets/format";
import { Card, CardHeader } from "@/components/ui/Card";
import type { AuditEntry } from "@/lib/audit/log";
import type { Jsonified } from "@/lib/http/json";

/**
 * Who did what to this sample, from the audit log: decisions (with the guidelines version they were made under),
 * edits, regenerate and re-check requests, restores, comments.
 * `onUndo`: the latest decision is the viewer's and nothing changed since — its entry offers "Undo this decision".
 */
export function SampleHistory({ entries, onUndo }: { entries: Jsonified<AuditEntry>[]; onUndo?: () => void }) {
  const latestDecision = entries.find((e) => e.action.startsWith("decision.") && e.action !== "decision.undo");
  return (
    <Card aria-labelledby="history-title" className="mt-6">
      <CardHeader
        titleId="history-title"
        title="History"
        description={entries.length ? "Every person's action on this sample, newest first (from the audit log)." : "Nobody has acted on this sample yet."}
      />
      {entries.length ? (
        <ol className="divide-y divide-stone-100" data-testid="sample-history">
          {entries.map((e) => (
            <li key={e.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-5 py-2.5 text-sm" data-action={e.action}>
              <time dateTime={e.createdAt} className="w-40 shrink-0 text-xs text-stone-500 tabular-nums">
                {formatDateTime(new Date(e.createdAt))}
              </time>
              <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-700">{e.action}</code>
              <span className="min-w-0 flex-1 [overflow-wrap:anywhere] text-stone-800">
                {e.summary}
                {guidelinesVersion(e) ? <span className="text-stone-500"> · under guidelines version {guidelinesVersion(e)}</span> : null}
              </span>
              <span className="text-xs text-stone-500">{e.actor.replace(/^human:/, "")}</span>
              {onUndo && e === latestDecision ? (
                <button type="button" onClick={onUndo} className="text-xs font-medium text-accent-800 hover:underline">
                  Undo this decision
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </Card>
  );
}

/** The dataset's guidelines version a decision was made under (its audit entry's `after`), if it had any. */
function guidelinesVersion(entry: Jsonified<AuditEntry>): number | undefined {
  return (entry.after as { guidelinesVersion?: number } | null)?.guidelinesVersion;
}
