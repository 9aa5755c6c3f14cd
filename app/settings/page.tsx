import type { Metadata } from "next";
import { requireSection } from "@/lib/auth/require-page";
import { JudgePanels } from "@/components/settings/JudgePanels";
import { PolicyForm } from "@/components/settings/PolicyForm";
import { ModelPrices } from "@/components/settings/ModelPrices";
import { SettingsForm } from "@/components/settings/SettingsForm";
import { getModelPrices } from "@/lib/cost/prices-store";
import { PageHeader } from "@/components/ui/PageHeader";
import { getJudgePanelsView } from "@/lib/settings/panels-store";
import { policyView } from "@/lib/settings/policy-settings";
import { getPolicySettings, getSettingsView } from "@/lib/settings/store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireSection("/settings");
  const [view, panels, policy, prices] = await Promise.all([getSettingsView(), getJudgePanelsView(), getPolicySettings(), getModelPrices()]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="The LLM judges and teacher: where they are, which models, how hard to push them. Saved values override the STUDIO_LLM_* environment variables; an empty field uses them."
      />
      <SettingsForm initial={view} />
      <JudgePanels initial={panels} />
      <PolicyForm initial={policyView(policy)} />
      <ModelPrices initial={prices} />
    </>
  );
}
