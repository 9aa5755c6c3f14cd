"use client";

import { PageError } from "@/components/ui/PageError";

export default function ReviewError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Review" error={error} retry={retry} />;
}
