import type { Metadata } from "next";
import Link from "next/link";
import { SamplesTable } from "@/components/samples/table/SamplesTable";
import { Alert } from "@/components/ui/Alert";
import { buttonClasses } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { DatabaseIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireSection } from "@/lib/auth/require-page";
import { isLlmAvailable } from "@/lib/settings/store";
import { readTableFilter } from "@/lib/samples/table-filter";
import { exportFormatOptions } from "@/lib/formats";
import { datasetOptions, querySamplesTable } from "@/lib/samples/table-query";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Samples" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DESCRIPTION = "Every sample across datasets: filter by status, stage, verdict, decider, tool or text, open one to review it, or act on many at once.";

export default async function SamplesPage({ searchParams }: Props) {
  const user = await requireSection("/samples");
  // Bad URL values fall back to their defaults; the table says which ones it ignored.
  const { filter, issues } = readTableFilter(await searchParams);
  let loaded;
  try {
    const [page, datasets] = await Promise.all([querySamplesTable(filter), datasetOptions()]);
    loaded = { page, datasets };
  } catch (error) {
    console.error("samples table:", error);
    return (
      <>
        <PageHeader title="Samples" description={DESCRIPTION} />
        <Alert tone="error" title="The samples could not be loaded">
          {(error as Error).message}.{" "}
          <Link href="/samples" className="font-medium underline">
            Try again
          </Link>
        </Alert>
      </>
    );
  }
  const { page, datasets } = loaded;

  return (
    <>
      <PageHeader title="Samples" description={DESCRIPTION} />
      {datasets.length === 0 ? (
        <Card>
          <EmptyState
            icon={<DatabaseIcon />}
            title="No samples yet"
            actions={
              <Link href="/datasets" className={buttonClasses("primary")}>
                Import a dataset
              </Link>
            }
          >
            Import an xLAM, BFCL, chat or ShareGPT file; its samples appear here, ready for a pipeline run and review.
          </EmptyState>
        </Card>
      ) : (
        <SamplesTable filter={filter} page={page} datasets={datasets} issues={issues.map((i) => i.message)} llmConfigured={await isLlmAvailable()} role={user.role} exportFormats={exportFormatOptions()} />
      )}
    </>
  );
}
