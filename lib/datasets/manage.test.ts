// Renaming and deleting datasets on the real database: a delete takes everything the dataset holds in one go and says
// so in the audit log; it is refused while a run is active, and without the name typed out.
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { closeDb, getPool } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/log";
import { seedDataset } from "@/test/seed";
import { deleteDataset, renameDataset } from "./manage";

afterAll(() => closeDb());

const count = async (sql: string, params: unknown[]) => (await (await getPool()).query<{ n: number }>(sql, params)).rows[0].n;

describe("renameDataset", () => {
  it("renames, refuses a taken name or an unknown dataset, and records the old and new name", async () => {
    const a = await seedDataset([{}], "rename-a");
    const b = await seedDataset([{}], "rename-b");
    await expect(renameDataset(a.name, b.name, "human:ada")).rejects.toThrow(`a dataset named "${b.name}" already exists`);
    await expect(renameDataset(`${a.name}-missing`, "x", "human:ada")).rejects.toThrow("does not exist");
    const to = `${a.name}-renamed`;
    expect(await renameDataset(a.name, `  ${to} `, "human:ada")).toEqual({ id: a.datasetId, name: to });
    const { entries } = await listAudit({ targetType: "dataset", targetId: String(a.datasetId) });
    expect(entries[0]).toMatchObject({ action: "dataset.rename", summary: `Renamed ${a.name} to ${to}`, before: { name: a.name }, after: { name: to } });
  });
});

describe("deleteDataset", () => {
  it("removes the samples and everything hanging off them, its runs and jobs, in one transaction, and audits it", async () => {
    const { datasetId, name, ids } = await seedDataset([{ status: "passed" }, { status: "discarded" }], "delete");
    const pool = await getPool();
    await pool.query(`INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, evidence, decided_by) SELECT id, 1, 'pass', 'r', '{}', 'rule:x' FROM unnest($1::int[]) id`, [ids]);
    const run = await pool.query<{ id: number }>(`INSERT INTO pipeline_runs (dataset_id, stages, status, concurrency, max_regenerations) VALUES ($1, 'rules', 'succeeded', 1, 0) RETURNING id`, [datasetId]);
    await pool.query(`INSERT INTO pipeline_run_samples (run_id, sample_id, sample_version) SELECT $1, id, 1 FROM unnest($2::int[]) id`, [run.rows[0].id, ids]);
    await pool.query(`INSERT INTO import_jobs (dataset_id, dataset_name, file_name, format) VALUES ($1, $2, 'f.jsonl', 'xlam')`, [datasetId, name]);
    await recordAudit({ actor: "human:ada", action: "import", target: { type: "dataset", id: datasetId }, summary: "before" });

    await expect(deleteDataset(name, "not the name", "human:ada")).rejects.toThrow(`type the dataset's name, "${name}", to delete it`);
    expect(await deleteDataset(name, name, "human:ada")).toEqual({ id: datasetId, name, samples: 2, runs: 1 });

    expect(await count(`SELECT count(*)::int AS n FROM datasets WHERE id = $1`, [datasetId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM samples WHERE id = ANY($1)`, [ids])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM stage_verdicts WHERE sample_id = ANY($1)`, [ids])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM pipeline_runs WHERE dataset_id = $1`, [datasetId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM import_jobs WHERE dataset_id = $1`, [datasetId])).toBe(0);
    // The audit log is the record: earlier entries stay, and the delete is one more.
    const { entries } = await listAudit({ targetType: "dataset", targetId: String(datasetId) });
    expect(entries.map((e) => e.action)).toEqual(["dataset.delete", "import"]);
    expect(entries[0].summary).toBe(`Deleted ${name}: 2 samples, 1 runs, and their verdicts, revisions, decisions and jobs`);
  });

  it("is refused while a run on the dataset is active, and then nothing is deleted", async () => {
    const { datasetId, name, ids } = await seedDataset([{}], "busy");
    const run = await (await getPool()).query<{ id: number }>(`INSERT INTO pipeline_runs (dataset_id, stages, status, concurrency, max_regenerations) VALUES ($1, 'rules', 'paused', 1, 0) RETURNING id`, [datasetId]);
    await expect(deleteDataset(name, name, "human:ada")).rejects.toThrow(`run #${run.rows[0].id} on ${name} is still active: cancel it (Runs page) before deleting the dataset`);
    expect(await count(`SELECT count(*)::int AS n FROM samples WHERE id = ANY($1)`, [ids])).toBe(1);
  });
});
