"use client";

import { PageError } from "@/components/ui/PageError";

export default function SettingsError({ retry }: { error: unknown; retry: () => void }) {
  return <PageError title="Settings" message="The settings could not be loaded" retry={retry} />;
}
