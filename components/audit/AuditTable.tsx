import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import type { AuditEntry } from "@/lib/audit/log";
import type { Jsonified } from "@/lib/http/json";

/** Where an entry's target lives in the studio, when it has a page. */
function targetHref(type: string | null, id: string | null): string | null {
  if (!id) return null;
  if (type === "sample") return `/samples/${encodeURIComponent(id)}`;
  if (type === "run") return `/runs`;
  if (type === "dataset") return `/datasets`;
  if (type === "bulk") return `/audit?bulkJob=${encodeURIComponent(id)}`;
  if (type === "calibration") return `/calibration?id=${encodeURIComponent(id)}`;
  if (type === "round") return `/rounds?id=${encodeURIComponent(id)}`;
  return null;
}

export function AuditTable({ entries, nextHref, firstHref }: { entries: Jsonified<AuditEntry>[]; nextHref: string | null; firstHref: string | null }) {
  if (entries.length === 0) return <EmptyState title="Nothing recorded for this filter">Try a wider filter, or come back after some work.</EmptyState>;
  return (
    <>
      <table className="w-full table-fixed text-sm">
        <thead className="text-left text-xs text-stone-500">
          <tr className="border-b border-stone-200">
            <th className="w-40 px-5 py-2.5 font-medium">When</th>
            <th className="w-56 px-3 py-2.5 font-medium">Who</th>
            <th className="w-36 px-3 py-2.5 font-medium">Action</th>
            <th className="px-3 py-2.5 font-medium">What</th>
            <th className="w-32 px-5 py-2.5 font-medium">Changed</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const href = targetHref(e.targetType, e.targetId);
            return (
              <tr key={e.id} className="border-b border-stone-100 align-top last:border-0" data-action={e.action}>
                <td className="px-5 py-2.5 whitespace-nowrap text-stone-500 tabular-nums">
                  <time dateTime={e.createdAt}>{e.createdAt.replace("T", " ").slice(0, 19)}</time>
                </td>
                <td className="truncate px-3 py-2.5 text-stone-700" title={e.actor}>
                  {e.actor}
                </td>
                <td className="px-3 py-2.5">
                  <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-700">{e.action}</code>
                </td>
                <td className="px-3 py-2.5 break-words text-stone-800">
                  {e.summary}
                  {e.targetType ? (
                    <span className="ml-1 text-stone-400">
                      · {href ? <Link href={href} className="text-accent-700 hover:underline">{`${e.targetType} ${e.targetId}`}</Link> : `${e.targetType} ${e.targetId}`}
                    </span>
                  ) : null}
                  {e.bulkJobId !== null ? (
                    <span className="ml-1 text-stone-400">
                      · part of{" "}
                      <Link href={`/audit?bulkJob=${e.bulkJobId}`} className="text-accent-700 hover:underline">
                        bulk {e.bulkJobId}
                      </Link>
                    </span>
                  ) : null}
                </td>
                <td className="px-5 py-2.5 text-xs text-stone-500">
                  {e.before !== null || e.after !== null ? (
                    <details>
                      <summary className="cursor-pointer text-accent-700 select-none">{e.before !== null ? "before / after" : "details"}</summary>
                      <pre className="mt-1 max-h-60 overflow-auto rounded bg-stone-50 p-2 font-mono text-[11px] leading-4 whitespace-pre-wrap [overflow-wrap:anywhere] text-stone-600">
                        {[e.before !== null ? `before ${JSON.stringify(e.before, null, 1)}` : null, e.after !== null ? `after ${JSON.stringify(e.after, null, 1)}` : null]
                          .filter(Boolean)
                          .join("\n")}
                      </pre>
                    </details>
                  ) : (
                    <span className="text-stone-300">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <nav aria-label="Audit pages" className="flex justify-end gap-3 border-t border-stone-200 px-5 py-3 text-sm">
        {firstHref ? <Link href={firstHref} className="font-medium text-accent-700 hover:underline">Newest</Link> : null}
        {nextHref ? <Link href={nextHref} className="font-medium text-accent-700 hover:underline">Older →</Link> : <span className="text-stone-400">End of the log</span>}
      </nav>
    </>
  );
}
