import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";

/** Shown while the dashboard's numbers load: the page's shape, greyed. */
export default function DashboardLoading() {
  return (
    <>
      <PageHeader title="Dashboard" description="Loading the figures…" />
      <div className="space-y-8" aria-busy="true" aria-label="Loading the dashboard">
        <Card className="h-96 animate-pulse bg-stone-100/60" />
        <Card className="h-24 animate-pulse bg-stone-100/60" />
        <div className="grid gap-8 xl:grid-cols-2">
          <Card className="h-72 animate-pulse bg-stone-100/60" />
          <Card className="h-72 animate-pulse bg-stone-100/60" />
        </div>
      </div>
    </>
  );
}
