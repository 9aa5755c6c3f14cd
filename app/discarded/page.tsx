import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/app-shell/PlaceholderPage";
import { ArchiveIcon } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Discarded" };

export default function DiscardedPage() {
  return (
    <PlaceholderPage
      title="Discarded"
      description="Samples a pipeline stage or a reviewer dropped, with the stage and the reason."
      icon={<ArchiveIcon />}
      arrivesWith="review issue"
    >
      Every discarded sample stays here with its verdicts, so a wrong call can be found and restored.
    </PlaceholderPage>
  );
}
