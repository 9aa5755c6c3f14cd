import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReviewStudio, type ReviewMode } from "@/components/review/ReviewStudio";
import { requirePage } from "@/lib/auth/require-page";
import { can } from "@/lib/auth/permissions";
import { loadReviewView, reviewViewer } from "@/lib/review/sample-view";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * `?queue=1[&dataset=<id>]`: the review queue (the queue page's "Review next" opens samples so). Otherwise the rest
 * of the query string is the samples table's state, whose list previous/next walk.
 */
function modeOf(searchParams: SearchParams): ReviewMode {
  const first = (name: string) => [searchParams[name]].flat()[0];
  if (first("queue") === "1") {
    const dataset = Number(first("dataset"));
    return { kind: "queue", datasetId: Number.isSafeInteger(dataset) && dataset > 0 ? dataset : null, adjudicate: first("adjudicate") === "1" };
  }
  const list = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) for (const v of [value ?? []].flat()) list.append(name, v);
  return { kind: "browse", listQuery: list.toString() };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Sample ${id}` };
}

export default async function SamplePage({ params, searchParams }: Props) {
  const id = parseId((await params).id);
  if (id === null) notFound();
  const user = await requirePage("samples.read", `/samples/${id}`);
  const [view, query] = await Promise.all([loadReviewView(id, reviewViewer(user)), searchParams]);
  if (!view) notFound();
  // Dates become text as they reach the browser; the page hands over exactly what GET /api/samples/:id answers.
  const initial = JSON.parse(JSON.stringify(view));
  return <ReviewStudio key={id} initial={initial} user={user.email} canDecide={can(user.role, "samples.decide")} canComment={can(user.role, "comments.write")} mode={modeOf(query)} />;
}
