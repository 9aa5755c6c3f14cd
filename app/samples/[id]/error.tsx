"use client";

import { PageError } from "@/components/ui/PageError";

export default function SampleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Sample" message="This sample could not be loaded" error={error} retry={retry} back={{ href: "/samples", label: "Back to the samples" }} />;
}
