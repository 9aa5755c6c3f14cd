import type { Metadata } from "next";
import { DatasetTable } from "@/components/datasets/DatasetTable";
import { formatBytes, formatCount } from "@/components/datasets/format";
import { ImportPanel } from "@/components/datasets/ImportPanel";
import { buttonClasses } from "@/components/ui/Button";
import { Card, CardHeader } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { DatabaseIcon, UploadIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireSection } from "@/lib/auth/require-page";
import { can } from "@/lib/auth/permissions";
import { listDatasets } from "@/lib/datasets/queries";
import { exportFormatOptions, importFormatOptions } from "@/lib/formats";
import { UPLOAD_MAX_BYTES } from "@/lib/samples/limits";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const user = await requireSection("/datasets");
  const canImport = can(user.role, "data.import");
  const canExport = can(user.role, "data.export");
  const canManage = can(user.role, "datasets.manage");
  const canWriteGuidelines = can(user.role, "guidelines.write");
  const datasets = await listDatasets();
  const samples = datasets.reduce((sum, dataset) => sum + dataset.total, 0);

  return (
    <>
      <PageHeader
        title="Datasets"
        description="Import function-calling data (xLAM, BFCL, chat or ShareGPT), see where each dataset's samples stand, and export the refined set."
        actions={
          datasets.length && canImport ? (
            <a href="#import" className={buttonClasses("secondary")}>
              <UploadIcon width={16} height={16} />
              Import a file
            </a>
          ) : null
        }
      />

      <div className="space-y-8">
        <Card aria-labelledby="datasets-title">
          <CardHeader
            titleId="datasets-title"
            title="All datasets"
            description={
              datasets.length
                ? `${formatCount(datasets.length)} ${datasets.length === 1 ? "dataset" : "datasets"} · ${formatCount(samples)} samples`
                : "Nothing imported yet"
            }
          />
          {datasets.length ? (
            <DatasetTable datasets={datasets} canExport={canExport} canManage={canManage} canWriteGuidelines={canWriteGuidelines} exportFormats={exportFormatOptions()} />
          ) : (
            <EmptyState icon={<DatabaseIcon />} title="No datasets yet">
              <p>
                Import a file with the form below (up to {formatBytes(UPLOAD_MAX_BYTES)} in the browser), or from a
                terminal for files of any size:
              </p>
              <pre className="mt-3 overflow-x-auto rounded-lg bg-stone-900 px-4 py-3 text-left font-mono text-xs leading-5 text-stone-100 dark:bg-stone-50 dark:text-stone-800 dark:ring-1 dark:ring-stone-200">
                npm run studio -- import &lt;file&gt; --dataset &lt;name&gt;
              </pre>
            </EmptyState>
          )}
        </Card>

        {canImport ? (
          <Card aria-labelledby="import-title" id="import" tabIndex={-1} className="scroll-mt-6 focus:outline-none">
            <CardHeader
              titleId="import-title"
              title="Import a file"
              description="Records are validated one by one: bad ones are listed with their line and field, good ones are kept."
            />
            <ImportPanel datasetNames={datasets.map((dataset) => dataset.name)} maxBytes={UPLOAD_MAX_BYTES} formats={importFormatOptions()} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
