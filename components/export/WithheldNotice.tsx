"use client";

// Before a download, the export dialogs ask the server what the export will leave out (samples of the refined set a
// rule fails, conversations the format cannot hold, …: lib/samples/export.ts) and say it here, so a download never holds less than was asked without saying so.
import Link from "next/link";
import useSWR from "swr";
import { formatCount } from "@/components/datasets/format";
import { Alert } from "@/components/ui/Alert";
import { api, errorMessage, type ApiAnswer } from "@/lib/api/client";
import type { ExportFormatId } from "@/lib/samples/export";

type ExportCheck = ApiAnswer<"GET /api/samples/export/check">;

export type CheckState = { kind: "checking" } | { kind: "checked"; check: ExportCheck } | { kind: "failed"; message: string };

/** A check's answer as the notice shows it: what it found, or why it could not say. */
export async function checkState(check: Promise<ExportCheck>): Promise<CheckState> {
  try {
    return { kind: "checked", check: await check };
  } catch (error) {
    return { kind: "failed", message: errorMessage(error) };
  }
}

/** What the samples table exports: the rows its filter (a query string) matches, or the ids selected. */
export type TableExport = { format: ExportFormatId } & ({ filter: string } | { ids: string });

/** The check of a table export, redone when it changes; null: nothing to check. */
export function useExportCheck(target: TableExport | null): CheckState | null {
  // A selection is POSTed as a form: it can be thousands of ids, too many for a query string.
  const { data, error } = useSWR(target && (["export check", target] as const), ([, { format, ...rows }]) =>
    "ids" in rows ? api("POST /api/samples/export/check", { form: { ids: rows.ids, format } }) : api("GET /api/samples/export/check", { query: withFormat(rows.filter, format) }),
    { revalidateOnFocus: false },
  );
  if (!target) return null;
  if (error) return { kind: "failed", message: errorMessage(error) };
  return data ? { kind: "checked", check: data } : { kind: "checking" };
}

/** A table filter's query with the export's format. */
export function withFormat(filter: string, format: ExportFormatId): URLSearchParams {
  const query = new URLSearchParams(filter);
  query.set("format", format);
  return query;
}

/** What the check found: nothing to say when every sample passes, else how many are left out, which, and why. */
export function WithheldNotice({ state }: { state: CheckState | null }) {
  if (!state) return null;
  if (state.kind === "checking") return <p className="text-xs text-stone-500">Checking the rules on the samples to export…</p>;
  if (state.kind === "failed") return <Alert tone="error" title={`Could not check the export: ${state.message}`} />;
  const { withheld, withheldSamples, written } = state.check;
  if (withheld === 0) return null;
  const more = withheld - withheldSamples.length;
  return (
    <div data-testid="export-withheld">
      <Alert
        tone="warning"
        title={`${formatCount(withheld)} sample${withheld === 1 ? "" : "s"} will be left out: the download holds the other ${formatCount(written)}.`}
      >
        <ul className="list-disc pl-4">
          {withheldSamples.map((w) => (
            <li key={w.sampleId}>
              <Link href={`/samples/${w.sampleId}`} className="font-medium underline">
                #{w.sampleId}
              </Link>{" "}
              {w.reason}
            </li>
          ))}
        </ul>
        {more > 0 ? <p>…and {formatCount(more)} more.</p> : null}
      </Alert>
    </div>
  );
}
