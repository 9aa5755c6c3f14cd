import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/app-shell/PlaceholderPage";
import { CheckSquareIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/Kbd";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <PlaceholderPage
      title="Review"
      description="Work through flagged samples one at a time: approve, fix the calls or reasoning, or discard."
      icon={<CheckSquareIcon />}
      arrivesWith="review issue"
    >
      <p>A keyboard-first queue of samples a stage flagged for a human decision.</p>
      <p className="mt-3 flex flex-wrap items-center justify-center gap-x-3 gap-y-1.5 text-xs text-stone-500">
        <span className="inline-flex items-center gap-1">
          <Kbd>J</Kbd>
          <Kbd>K</Kbd> next / previous
        </span>
        <span className="inline-flex items-center gap-1">
          <Kbd>A</Kbd> approve
        </span>
        <span className="inline-flex items-center gap-1">
          <Kbd>E</Kbd> edit
        </span>
        <span className="inline-flex items-center gap-1">
          <Kbd>D</Kbd> discard
        </span>
      </p>
    </PlaceholderPage>
  );
}
