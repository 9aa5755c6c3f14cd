"use client";

import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";

/** Chooses the dashboard's dataset (`?dataset=<name>`, shareable); "All datasets" clears it. */
export function DatasetPicker({ datasets, current }: { datasets: string[]; current: string | null }) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-stone-700">
        Dataset
      </label>
      <select
        id={id}
        value={current ?? ""}
        disabled={pending}
        aria-busy={pending}
        onChange={(event) => {
          const name = event.target.value;
          startTransition(() => router.push(name ? `/dashboard?dataset=${encodeURIComponent(name)}` : "/dashboard"));
        }}
        className="block w-48 rounded-lg border-0 bg-white py-2 pr-8 pl-3 text-sm text-stone-900 ring-1 ring-stone-300 ring-inset focus:ring-2 focus:ring-accent-600 focus:outline-none disabled:bg-stone-50"
      >
        <option value="">All datasets</option>
        {datasets.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
