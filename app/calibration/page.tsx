import type { Metadata } from "next";
import { CalibrationBoard } from "@/components/calibration/CalibrationBoard";
import { PageHeader } from "@/components/ui/PageHeader";
import { can } from "@/lib/auth/permissions";
import { requireSection } from "@/lib/auth/require-page";
import { calibrationPromptVersions, JUDGED_STAGES, listCalibrations } from "@/lib/calibration/calibrations";
import { listDatasets } from "@/lib/datasets/queries";
import { jsonified } from "@/lib/http/json";
import { isLlmAvailable } from "@/lib/settings/store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Calibration" };

export default async function CalibrationPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const user = await requireSection("/calibration");
  const [datasets, calibrations, llmConfigured, query] = await Promise.all([listDatasets(), listCalibrations(), isLlmAvailable(), searchParams]);
  const selected = Number(query.id) || null;
  return (
    <>
      <PageHeader
        title="Calibration"
        description="Before a judge decides a large run, see how far it agrees with the people who decided the same samples: its agreement, how many of their failures it finds, and whether another model or prompt does better beyond noise. A calibration changes no sample."
      />
      <CalibrationBoard
        initial={jsonified(calibrations)}
        datasets={datasets.map((d) => d.name)}
        stages={[...JUDGED_STAGES]}
        promptVersions={calibrationPromptVersions()}
        canStart={can(user.role, "runs.start")}
        llmConfigured={llmConfigured}
        selected={selected}
      />
    </>
  );
}
