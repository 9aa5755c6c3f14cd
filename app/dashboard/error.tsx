"use client";

import { PageError } from "@/components/ui/PageError";

export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Dashboard" message="The dashboard could not load its figures" error={error} retry={retry} />;
}
