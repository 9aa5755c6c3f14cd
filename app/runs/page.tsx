import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/app-shell/PlaceholderPage";
import { PlayIcon } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <PlaceholderPage
      title="Runs"
      description="Pipeline runs over a dataset: the five refinement stages, their progress, LLM usage and failures."
      icon={<PlayIcon />}
      arrivesWith="pipeline issue"
    >
      Start a run on a dataset and follow each stage — from query and tool checks to call verification — as it
      passes, flags or discards samples.
    </PlaceholderPage>
  );
}
