// The browser upload route (POST /api/import) against a real database, with bodies a browser or a network can
// produce: one that ends before its Content-Length (as a body cut by a proxy did), one that breaks off, one over the
// limit without a Content-Length, and a whole one whose progress is polled while it is still being read. Only the
// session lookup is replaced (by an admin); everything else is the route as it runs.
import { describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/client";
import { routeContext, studioRequest } from "./route-request";

const LIMIT = vi.hoisted(() => {
  const limit = 4 * 1024 * 1024;
  process.env.STUDIO_UPLOAD_MAX_BYTES = String(limit);
  return limit;
});

vi.mock("@/lib/auth/session", () => ({
  sessionUser: async () => ({ id: "admin-1", email: "ada@upload.test", name: "Ada", role: "admin" as const }),
}));

const { POST } = await import("@/app/api/import/route");
const { GET: getProgress } = await import("@/app/api/import/progress/route");

const tool = { name: "forecast", description: "Daily forecast.", parameters: { city: { description: "City.", type: "str" } } };
const line = (i: number) =>
  JSON.stringify({ id: i, query: `Weather in city ${i}?`, tools: [tool], answers: [{ name: "forecast", arguments: { city: `c${i}` } }] }) + "\n";
const jsonl = (count: number) => Buffer.from(Array.from({ length: count }, (_, i) => line(i)).join(""));

let n = 0;
const uniqueName = (label: string) => `upload-${label}-${process.pid}-${++n}`;

/** A body sent in chunks of `chunkBytes`; `onChunk` may hold a chunk back (await) or break the body off (throw). */
function bodyOf(bytes: Buffer, { chunkBytes = 64 * 1024, onChunk }: { chunkBytes?: number; onChunk?: (sent: number) => Promise<void> | void } = {}) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= bytes.length) return controller.close();
      try {
        await onChunk?.(sent);
      } catch (error) {
        return controller.error(error);
      }
      const chunk = bytes.subarray(sent, sent + chunkBytes);
      sent += chunk.length;
      controller.enqueue(new Uint8Array(chunk));
    },
  });
}

function upload(query: Record<string, string>, body: ReadableStream<Uint8Array>, contentLength?: number) {
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (contentLength !== undefined) headers["content-length"] = String(contentLength);
  return POST(studioRequest(`/api/import?${new URLSearchParams(query)}`, { method: "POST", body, headers, duplex: "half" }), routeContext());
}

async function stored(dataset: string) {
  const pool = await getPool();
  const samples = await pool.query("SELECT count(*)::int AS n FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = $1", [dataset]);
  const datasets = await pool.query("SELECT 1 FROM datasets WHERE name = $1", [dataset]);
  const jobs = await pool.query<{ status: string; inserted: number; failure: string | null }>(
    "SELECT status, inserted, failure FROM import_jobs WHERE dataset_name = $1 ORDER BY id",
    [dataset],
  );
  return { samples: samples.rows[0].n as number, datasetExists: datasets.rowCount === 1, jobs: jobs.rows };
}

describe("POST /api/import (browser uploads)", () => {
  it("a JSON Lines body that ends before its Content-Length is a failed import that writes nothing", async () => {
    const dataset = uniqueName("short");
    const file = jsonl(50);
    // Cut at a line boundary: what arrives is itself a valid, shorter JSON Lines file.
    const cut = file.subarray(0, file.indexOf("\n", file.length / 2) + 1);
    const response = await upload({ dataset, fileName: "cut.jsonl" }, bodyOf(cut, { chunkBytes: 1000 }), file.length);
    const answer = await response.text();

    const after = await stored(dataset);
    expect(after.samples).toBe(0);
    expect(after.datasetExists).toBe(false);
    expect(after.jobs).toEqual([
      { status: "failed", inserted: 0, failure: `the upload broke off after ${cut.length.toLocaleString("en-US")} of ${file.length.toLocaleString("en-US")} bytes (the body ended before its Content-Length)` },
    ]);
    expect(response.status).toBe(200);
    expect(JSON.parse(answer)).toMatchObject({ ok: false, inserted: 0, failure: expect.stringMatching(/^the upload broke off after/) });
  });

  it("a body that breaks off mid-way (the browser went away) is a failed import that writes nothing", async () => {
    const dataset = uniqueName("aborted");
    const file = jsonl(200);
    const body = bodyOf(file, {
      chunkBytes: 1000,
      onChunk: (sent) => {
        if (sent >= 10_000) throw new Error("aborted");
      },
    });
    const response = await upload({ dataset, fileName: "gone.jsonl" }, body, file.length);
    const answer = await response.text();

    const after = await stored(dataset);
    expect(after.samples).toBe(0);
    expect(after.datasetExists).toBe(false);
    expect(after.jobs).toMatchObject([{ status: "failed", inserted: 0, failure: `the upload broke off after 10,000 of ${file.length.toLocaleString("en-US")} bytes (aborted)` }]);
    expect(JSON.parse(answer)).toMatchObject({ ok: false, inserted: 0 });
  });

  it("a body without a Content-Length that grows past the limit is refused with 413 while it is read; nothing is written", async () => {
    const dataset = uniqueName("too-big");
    const file = jsonl(Math.ceil((LIMIT + 1) / line(0).length) + 100);
    expect(file.length).toBeGreaterThan(LIMIT);
    const response = await upload({ dataset, fileName: "big.jsonl" }, bodyOf(file));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: "the file is larger than the upload limit of 4 MiB; import it with the CLI instead",
      maxBytes: LIMIT,
      limit: "4 MiB",
    });
    const after = await stored(dataset);
    expect(after.samples).toBe(0);
    expect(after.datasetExists).toBe(false);
    expect(after.jobs).toMatchObject([{ status: "failed", failure: expect.stringMatching(/larger than the upload limit/) }]);
  });

  it("a Content-Length over the limit is refused with 413 before the body is read", async () => {
    const dataset = uniqueName("declared-big");
    const response = await upload({ dataset, fileName: "big.jsonl" }, bodyOf(jsonl(10)), LIMIT + 1);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/larger than the upload limit of 4 MiB/);
    expect(await stored(dataset)).toEqual({ samples: 0, datasetExists: false, jobs: [] });
  });

  it("a whole body imports every record, and its progress can be polled while it is still arriving", async () => {
    const dataset = uniqueName("whole");
    const importId = "0123456789abcdef0123456789abcdef".replace(/.$/, String(n % 10));
    const file = jsonl(6000);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reachedHold!: () => void;
    const atHold = new Promise<void>((resolve) => (reachedHold = resolve));
    // The body stops two thirds of the way in until the test has polled the progress.
    const body = bodyOf(file, {
      onChunk: async (sent) => {
        if (sent < (file.length * 2) / 3) return;
        reachedHold();
        await held;
      },
    });
    const answer = upload({ dataset, fileName: "whole.jsonl", importId }, body, file.length);
    await atHold;

    const progressUrl = `/api/import/progress?id=${importId}`;
    let polled: { records: number; bytes: number; totalBytes: number } | undefined;
    // The importer reports every few hundred records: wait for a report on the bytes already sent.
    await vi.waitFor(async () => {
      const response = await getProgress(studioRequest(progressUrl), routeContext());
      expect(response.status).toBe(200);
      polled = await response.json();
      expect(polled!.records).toBeGreaterThan(0);
    });
    expect(polled!.totalBytes).toBe(file.length);
    expect(polled!.bytes).toBeLessThan(file.length);
    release();

    const summary = await (await answer).json();
    expect(summary).toMatchObject({ ok: true, total: 6000, inserted: 6000, duplicates: 0, rejected: 0, errors: [] });
    expect((await stored(dataset)).samples).toBe(6000);
    expect((await getProgress(studioRequest(progressUrl), routeContext())).status).toBe(404);
  });
});
