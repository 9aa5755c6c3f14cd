"use client";

import { PageError } from "@/components/ui/PageError";

export default function DiscardedError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Discarded" error={error} retry={retry} />;
}
