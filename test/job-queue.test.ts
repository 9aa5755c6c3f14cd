// The job queue's loops: a loop that finishes a job takes the next waiting one at once, not after its polling interval.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getBoss, stopBoss, workJobs } from "@/lib/jobs/boss";
import { waitFor } from "./run-helpers";

afterAll(() => stopBoss());

describe("the job queue", () => {
  it("takes the next waiting job as soon as one is done, whatever its polling interval", async () => {
    const boss = await getBoss();
    const queue = `back-to-back-${randomBytes(4).toString("hex")}`;
    await boss.createQueue(queue);
    for (const n of [1, 2, 3]) await boss.send(queue, { n });

    // An interval far longer than the test may wait: before, each job after the first waited all of it.
    const done: number[] = [];
    await workJobs<{ n: number }>(queue, async (job) => void done.push(job.data.n), { pollingIntervalSeconds: 60 });
    await waitFor("three jobs worked back to back", async () => done.length, (n) => n === 3, 15_000);
    expect(done.sort()).toEqual([1, 2, 3]);
    await boss.offWork(queue);
  });
});
