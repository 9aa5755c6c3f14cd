import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/app-shell/PlaceholderPage";
import { ListIcon } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Samples" };

export default function SamplesPage() {
  return (
    <PlaceholderPage
      title="Samples"
      description="Browse every sample across datasets: query, tools, chain-of-thought, calls and stage verdicts."
      icon={<ListIcon />}
      arrivesWith="pipeline issue"
    >
      A server-driven table over all samples, filterable by dataset, status and stage, opening each sample with its
      tools, reasoning and calls side by side.
    </PlaceholderPage>
  );
}
