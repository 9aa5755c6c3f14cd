import { getPrisma } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { REFINED_STATUSES, SAMPLE_STATUSES, type SampleStatus } from "@/lib/samples/types";

export interface LastImport {
  status: "running" | "succeeded" | "failed";
  fileName: string;
  inserted: number;
  duplicates: number;
  rejected: number;
  failure: string | null;
  finishedAt: Date | null;
  /** Every import into the dataset (the demo is 9 files): how many, and the samples they added in all. */
  imports: number;
  insertedInAll: number;
}

export interface DatasetSummary {
  id: number;
  name: string;
  description: string;
  createdAt: Date;
  /** Reviewers who decide each sample independently (lib/review/overlap.ts). */
  reviewsPerSample: number;
  total: number;
  /** Every status, zero when the dataset has none. */
  counts: Record<SampleStatus, number>;
  /** Samples in the refined set (what an export writes by default). */
  refined: number;
  lastImport: LastImport | null;
}

/**
 * Every dataset with its sample counts per status and its latest import, newest dataset first.
 * Three queries whatever the number of datasets: the datasets, one GROUP BY (dataset_id, status), and the latest
 * import job per dataset (DISTINCT ON).
 */
export async function listDatasets(): Promise<DatasetSummary[]> {
  const prisma: PrismaClient = await getPrisma();
  const [datasets, groups, jobs] = await Promise.all([
    prisma.dataset.findMany({
      select: { id: true, name: true, description: true, createdAt: true, reviewsPerSample: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
    prisma.sample.groupBy({ by: ["datasetId", "status"], _count: { _all: true } }),
    prisma.$queryRaw<
      Array<{
        dataset_id: number;
        status: LastImport["status"];
        file_name: string;
        inserted: number;
        duplicates: number;
        rejected: number;
        failure: string | null;
        finished_at: Date | null;
        imports: number;
        inserted_in_all: number;
      }>
    >`SELECT DISTINCT ON (dataset_id) dataset_id, status::text AS status, file_name, inserted, duplicates, rejected,
             failure, finished_at, count(*) OVER (PARTITION BY dataset_id)::int AS imports,
             sum(inserted) OVER (PARTITION BY dataset_id)::int AS inserted_in_all
      FROM import_jobs WHERE dataset_id IS NOT NULL
      ORDER BY dataset_id, id DESC`,
  ]);

  const countsByDataset = new Map<number, Record<SampleStatus, number>>();
  for (const group of groups) {
    const counts = countsByDataset.get(group.datasetId) ?? emptyCounts();
    counts[group.status as SampleStatus] = group._count._all;
    countsByDataset.set(group.datasetId, counts);
  }
  const jobByDataset = new Map(jobs.map((job) => [job.dataset_id, job]));

  return datasets.map((dataset) => {
    const counts = countsByDataset.get(dataset.id) ?? emptyCounts();
    const job = jobByDataset.get(dataset.id);
    return {
      ...dataset,
      counts,
      total: SAMPLE_STATUSES.reduce((sum, status) => sum + counts[status], 0),
      refined: REFINED_STATUSES.reduce((sum, status) => sum + counts[status], 0),
      lastImport: job
        ? {
            status: job.status,
            fileName: job.file_name,
            inserted: job.inserted,
            duplicates: job.duplicates,
            rejected: job.rejected,
            failure: job.failure,
            finishedAt: job.finished_at,
            imports: job.imports,
            insertedInAll: job.inserted_in_all,
          }
        : null,
    };
  });
}

/** The dataset with this exact name, or null. */
export async function findDatasetByName(name: string): Promise<{ id: number; name: string } | null> {
  const prisma: PrismaClient = await getPrisma();
  return prisma.dataset.findUnique({ where: { name }, select: { id: true, name: true } });
}

function emptyCounts(): Record<SampleStatus, number> {
  return Object.fromEntries(SAMPLE_STATUSES.map((status) => [status, 0])) as Record<SampleStatus, number>;
}
