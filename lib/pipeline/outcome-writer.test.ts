import { describe, expect, it } from "vitest";
import { createOutcomeWriter } from "./outcome-writer";
import { editedDuringRun, type RunSampleOutcome, type StoredOutcome } from "./store";

const outcome = (id: number) => editedDuringRun({ id, query: `query ${id}`, tools: [], answer: null, cot: null });

/** A write the test answers by hand: each call is held until `answer` (or `fail`) releases it. */
function heldWrites() {
  const calls: { ids: number[]; answer: () => void; fail: (error: Error) => void }[] = [];
  const write = (_runId: number, outcomes: readonly RunSampleOutcome[]) =>
    new Promise<StoredOutcome[]>((resolve, reject) => {
      calls.push({
        ids: outcomes.map((o) => o.sampleId),
        answer: () => resolve(outcomes.map(() => ({ written: true, result: "pending" }))),
        fail: reject,
      });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("a run's outcome writer", () => {
  it("without a gathering wait: writes the first outcome at once, and those finishing while it is under way together in the next statement", async () => {
    const { calls, write } = heldWrites();
    const writer = createOutcomeWriter(7, { write, gatherMs: 0 });
    const first = writer.store(1, 1, outcome(1));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([[1]]);

    const next = [2, 3, 4].map((id) => writer.store(id, 1, outcome(id)));
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].answer();
    await first;
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([[1], [2, 3, 4]]);
    calls[1].answer();
    expect(await Promise.all(next)).toEqual([2, 3, 4].map(() => ({ written: true, result: "pending" })));
  });

  it("the first outcome waits gatherMs for others to share its statement; half a statement's worth is written at once", async () => {
    const { calls, write } = heldWrites();
    const writer = createOutcomeWriter(7, { write, gatherMs: 40, maxBatch: 8 });
    const first = [1, 2].map((id) => writer.store(id, 1, outcome(id)));
    await tick();
    expect(calls).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const third = writer.store(3, 1, outcome(3));
    await new Promise((resolve) => setTimeout(resolve, 40));
    // One statement for the three, once the first had waited 40 ms.
    expect(calls.map((c) => c.ids)).toEqual([[1, 2, 3]]);
    calls[0].answer();
    await Promise.all([...first, third]);
    // Four waiting (half of maxBatch): written without waiting longer.
    const four = [4, 5, 6, 7].map((id) => writer.store(id, 1, outcome(id)));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([[1, 2, 3], [4, 5, 6, 7]]);
    calls[1].answer();
    await Promise.all(four);
  });

  it("never puts one sample twice in a statement (a chunk delivered twice), nor more than maxBatch", async () => {
    const { calls, write } = heldWrites();
    const writer = createOutcomeWriter(7, { write, maxBatch: 2 });
    const all = [1, 2, 2, 3, 4].map((id) => writer.store(id, 1, outcome(id)));
    for (let i = 0; i < 4; i++) {
      await tick();
      calls.at(-1)?.answer();
    }
    await Promise.all(all);
    expect(calls.map((c) => c.ids)).toEqual([[1], [2, 3], [2, 4]]);
  });

  it("a statement the database refuses is written again one sample at a time: only the bad sample fails", async () => {
    const { calls, write } = heldWrites();
    const writer = createOutcomeWriter(7, { write, gatherMs: 0 });
    const first = writer.store(1, 1, outcome(1));
    const rest = [2, 3, 4].map((id) => writer.store(id, 1, outcome(id)).then(() => "stored", (error: Error) => error.message));
    await tick();
    calls[0].answer();
    await first;
    await tick();
    calls[1].fail(new Error("value too long for sample 3"));
    await tick();
    expect(calls.slice(2).map((c) => c.ids)).toEqual([[2], [3], [4]]);
    calls[2].answer();
    calls[3].fail(new Error("value too long for sample 3"));
    calls[4].answer();
    expect(await Promise.all(rest)).toEqual(["stored", "value too long for sample 3", "stored"]);
  });
});
