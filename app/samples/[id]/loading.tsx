/** While the server loads a sample: the review page's frame, so nothing jumps when it arrives. */
export default function Loading() {
  const block = "animate-pulse rounded-xl border border-stone-200 bg-white";
  return (
    <div aria-busy="true" aria-label="Loading the sample">
      <div className="mb-6 border-b border-stone-200 pb-4">
        <div className="h-3 w-24 animate-pulse rounded bg-stone-200" />
        <div className="mt-3 h-7 w-48 animate-pulse rounded bg-stone-200" />
        <div className="mt-3 h-4 w-80 animate-pulse rounded bg-stone-200" />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <div className={`${block} h-32`} />
          <div className={`${block} h-72`} />
        </div>
        <div className="space-y-6">
          <div className={`${block} h-56`} />
          <div className={`${block} h-40`} />
        </div>
      </div>
    </div>
  );
}
