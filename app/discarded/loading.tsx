import { PageSkeleton } from "@/components/queue/PageSkeleton";

export default function Loading() {
  return <PageSkeleton title="Discarded" description="Grouping the discarded samples…" />;
}
