"use client";

import { PageError } from "@/components/queue/PageError";

export default function DiscardedError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Discarded" error={error} retry={retry} />;
}
