// The review page's view of a conversation: each turn's calls are marked with that turn's problems only.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getPool } from "@/lib/db/client";
import { seedDataset } from "@/test/seed";
import { loadReviewView } from "./sample-view";

afterAll(async () => {
  await closeDb();
});

describe("loadReviewView of a conversation", () => {
  it("marks a later turn's bad argument on that turn, not on the first answer, and refuses approval naming the turn", async () => {
    const { ids } = await seedDataset([{ query: "Weather in Lyon?" }]);
    const followUp = [
      { role: "tool", content: '{"sky": "clear"}' },
      { role: "user", content: "And in blue?" },
      { role: "assistant", cot: "Blue.", answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Oslo", colour: "blue" } }] } },
    ];
    await (await getPool()).query(`UPDATE samples SET follow_up = $2, turns = 2 WHERE id = $1`, [ids[0], JSON.stringify(followUp)]);

    const view = (await loadReviewView(ids[0], { name: "ann@example.org", canAdjudicate: false }))!;
    expect(view.highlights).toEqual([]);
    expect(view.turnHighlights[2]).toEqual([expect.objectContaining({ call: 0, argument: "colour", kind: "unknown_argument" })]);
    expect(view.ruleRefusal).toMatch(/^fails turn 2, stage 4 \(rule:function-params\): get_weather\(colour=…\): colour is not a parameter/);
  });
});
