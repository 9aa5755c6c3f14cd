"use client";

import { PageError } from "@/components/ui/PageError";

export default function SettingsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Settings" message="The settings could not be loaded" error={error} retry={retry} />;
}
