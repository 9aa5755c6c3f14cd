import { PageSkeleton } from "@/components/queue/PageSkeleton";

export default function Loading() {
  return <PageSkeleton title="Review" description="Counting what needs a human…" />;
}
