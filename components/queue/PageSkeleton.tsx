import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";

/** What a review page shows while its data loads: its real header, and grey blocks where the cards will be. */
export function PageSkeleton({ title, description, cards = 3 }: { title: string; description: string; cards?: number }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <div className="space-y-8" aria-busy="true" aria-live="polite">
        <p className="sr-only">Loading…</p>
        {Array.from({ length: cards }, (_, i) => (
          <Card key={i} className="animate-pulse px-5 py-5">
            <div className="h-4 w-40 rounded bg-stone-200" />
            <div className="mt-3 h-3 w-72 max-w-full rounded bg-stone-100" />
            <div className="mt-6 space-y-2.5">
              <div className="h-3 rounded bg-stone-100" />
              <div className="h-3 w-5/6 rounded bg-stone-100" />
              <div className="h-3 w-2/3 rounded bg-stone-100" />
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
