"use client";

import { PageError } from "@/components/ui/PageError";

/** Every page without an error.tsx of its own (datasets, samples, runs, users, audit log). */
export default function StudioError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Page unavailable" error={error} retry={retry} back={{ href: "/datasets", label: "Go to the datasets" }} />;
}
