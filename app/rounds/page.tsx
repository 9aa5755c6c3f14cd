import type { Metadata } from "next";
import { RoundsBoard } from "@/components/rounds/RoundsBoard";
import { PageHeader } from "@/components/ui/PageHeader";
import { can } from "@/lib/auth/permissions";
import { requireSection } from "@/lib/auth/require-page";
import { listDatasets } from "@/lib/datasets/queries";
import { jsonified } from "@/lib/http/json";
import { listRounds } from "@/lib/rounds/rounds";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Rounds" };

export default async function RoundsPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const user = await requireSection("/rounds");
  const [datasets, rounds, query] = await Promise.all([listDatasets(), listRounds(), searchParams]);
  // A round's own dataset is no source: every round of a source answers the source's queries.
  const roundDatasets = new Set(rounds.map((r) => r.dataset));
  return (
    <>
      <PageHeader
        title="Rounds"
        description="Self-refinement: your model answers the source's queries with its own reasoning and calls, the pipeline refines what it wrote, and only what passes goes into the next training round. Each round is a dataset of its own."
      />
      <RoundsBoard
        initial={jsonified(rounds)}
        sources={datasets.map((d) => d.name).filter((name) => !roundDatasets.has(name))}
        canStart={can(user.role, "runs.start")}
        selected={Number(query.id) || null}
      />
    </>
  );
}
