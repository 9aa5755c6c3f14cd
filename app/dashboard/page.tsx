import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/app-shell/PlaceholderPage";
import { ChartIcon } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <PlaceholderPage
      title="Dashboard"
      description="How each dataset moves through the pipeline: counts per stage and status, pass rates, token cost."
      icon={<ChartIcon />}
      arrivesWith="pipeline issue"
    >
      Once runs exist, this page charts where samples leave the pipeline and how much the LLM stages cost.
    </PlaceholderPage>
  );
}
