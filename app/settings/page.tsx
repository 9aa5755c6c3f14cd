import type { Metadata } from "next";
import { requireSection } from "@/lib/auth/require-page";
import { JudgePanels } from "@/components/settings/JudgePanels";
import { ModelPrices } from "@/components/settings/ModelPrices";
import { SettingsForm } from "@/components/settings/SettingsForm";
import { getModelPrices } from "@/lib/cost/prices-store";
import { PageHeader } from "@/components/ui/PageHeader";
import { getJudgePanelsView } from "@/lib/settings/panels-store";
import { getSettingsView } from "@/lib/settings/store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireSection("/settings");
  const [view, panels, prices] = await Promise.all([getSettingsView(), getJudgePanelsView(), getModelPrices()]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="The LLM judges and teacher: where they are, which models, how hard to push them. Saved values override the STUDIO_LLM_* environment variables; an empty field uses them."
      />
      <SettingsForm initial={view} />
      <JudgePanels initial={panels} />
      <ModelPrices initial={prices} />
    </>
  );
}
