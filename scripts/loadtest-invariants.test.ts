import { describe, expect, it } from "vitest";
import { checkInvariants, type Ack, type DecisionRow, type InvariantInput } from "./loadtest-invariants";

const ann = "human:ann@loadtest.local";
const bob = "human:bob@loadtest.local";

const acks: Ack[] = [
  { sampleId: 1, author: ann, action: "approve", loadedVersion: 2, version: 3 },
  { sampleId: 2, author: bob, action: "discard", loadedVersion: 2, version: 3 },
];
const rows: DecisionRow[] = acks.map(({ sampleId, author, action, version }) => ({ sampleId, author, action, version }));

/** A run where everything went right: two decisions, one refused stale write on sample 1. */
function clean(): InvariantInput {
  return {
    acks,
    rows,
    staleAttempts: [{ sampleId: 1, author: bob, status: 409, first: acks[0] }],
    finalStates: [
      { id: 1, version: 3, status: "approved" },
      { id: 2, version: 3, status: "discarded" },
    ],
    serverErrors: 0,
    transportErrors: 0,
    refusals: [],
  };
}

const failed = (input: InvariantInput) => checkInvariants(input).filter((r) => !r.ok);

describe("checkInvariants", () => {
  it("passes a clean run, every check saying what it covered", () => {
    const results = checkInvariants(clean());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0].detail).toBe("2 acknowledged, each found once");
    expect(results.map((r) => r.name)).toHaveLength(8);
  });

  it("catches an acknowledged decision that is missing, stored twice, or stored as another action", () => {
    for (const badRows of [[rows[1]], [...rows, rows[0]], [{ ...rows[0], action: "discard" }, rows[1]]]) {
      const names = failed({ ...clean(), rows: badRows }).map((r) => r.name);
      expect(names).toContain("every acknowledged decision is in review_decisions exactly once");
    }
  });

  it("catches a decision stored that nobody was told about", () => {
    const extra = { sampleId: 3, author: ann, action: "approve", version: 3 };
    const finalStates = [...clean().finalStates, { id: 3, version: 3, status: "approved" }];
    expect(failed({ ...clean(), rows: [...rows, extra], finalStates })).toEqual([
      { name: "no decision was stored without being acknowledged", ok: false, detail: `1: sample 3 approve by ${ann} at v3` },
    ]);
  });

  it("catches a sample decided by two people", () => {
    const second: Ack = { sampleId: 1, author: bob, action: "discard", loadedVersion: 3, version: 4 };
    const finalStates = [{ id: 1, version: 4, status: "discarded" }, clean().finalStates[1]];
    const results = failed({ ...clean(), acks: [...acks, second], rows: [...rows, { ...second }], staleAttempts: [], finalStates });
    expect(results.map((r) => [r.name, r.detail])).toContainEqual(["no sample was decided twice (by two people, or by one)", `1: sample 1 by ${ann} and ${bob}`]);
  });

  it("catches a decided sample whose status is not what its decision gave", () => {
    const finalStates = [clean().finalStates[0], { id: 2, version: 3, status: "passed" }];
    expect(failed({ ...clean(), finalStates })).toEqual([
      { name: "every decided sample has the status its decision gave", ok: false, detail: "1: sample 2: discard → passed, expected discarded" },
    ]);
  });

  it("with two reviews per sample: final only when both agree, and never a third review or two from one reviewer", () => {
    const cy = "human:cy@loadtest.local";
    const votes: Ack[] = [
      { sampleId: 1, author: ann, action: "approve", loadedVersion: 2, version: 2 },
      { sampleId: 1, author: bob, action: "approve", loadedVersion: 2, version: 3 },
      { sampleId: 2, author: ann, action: "approve", loadedVersion: 2, version: 2 },
      { sampleId: 2, author: bob, action: "discard", loadedVersion: 2, version: 2 },
    ];
    const voteRows = votes.map(({ sampleId, author, action, version }) => ({ sampleId, author, action, version }));
    const input: InvariantInput = {
      ...clean(),
      reviewsPerSample: 2,
      acks: votes,
      rows: voteRows,
      staleAttempts: [],
      finalStates: [
        { id: 1, version: 3, status: "approved" },
        { id: 2, version: 2, status: "passed" },
      ],
    };
    expect(failed(input)).toEqual([]);
    // One of the two reviewers re-sends a decision with the old version: refused, and their own earlier vote is no offence.
    const staleByReviewer = { ...input, staleAttempts: [{ sampleId: 1, author: ann, status: 409, first: votes[1] }] };
    expect(failed(staleByReviewer)).toEqual([]);
    // A disagreement that was decided anyway, and a third review.
    const decidedAnyway = { ...input, finalStates: [input.finalStates[0], { id: 2, version: 3, status: "discarded" }] };
    expect(failed(decidedAnyway).map((r) => r.name)).toEqual(["every sample is final exactly when its 2 reviews agree"]);
    const third = { sampleId: 1, author: cy, action: "approve", loadedVersion: 3, version: 3 } as Ack;
    const overReviewed = { ...input, acks: [...votes, third], rows: [...voteRows, { sampleId: 1, author: cy, action: "approve", version: 3 }] };
    expect(failed(overReviewed).map((r) => r.name)).toContain("no sample got more than 2 reviews, or two from one reviewer");
  });

  it("catches a stale write that was accepted, that changed the sample, or that left a decision row", () => {
    const name = "no stale write overwrote another (409, and the first decision and version kept)";
    const accepted = { ...clean(), staleAttempts: [{ ...clean().staleAttempts[0], status: 200 }] };
    const overwritten = { ...clean(), finalStates: [{ id: 1, version: 4, status: "discarded" }, clean().finalStates[1]] };
    const rowLeft = { ...clean(), rows: [...rows, { sampleId: 1, author: bob, action: "discard", version: 3 }] };
    for (const input of [accepted, overwritten, rowLeft]) expect(failed(input).map((r) => r.name)).toContain(name);
    expect(failed(overwritten).find((r) => r.name === name)?.detail).toBe(`1: sample 1: ${bob} got 409, sample is discarded v4 (first decision: approved v3 by ${ann})`);
  });

  it("fails on any 5xx, any unanswered request and any refused claim, load or decision", () => {
    expect(failed({ ...clean(), serverErrors: 2 }).map((r) => r.name)).toEqual(["no 5xx answer"]);
    expect(failed({ ...clean(), transportErrors: 1 }).map((r) => r.name)).toEqual(["every request was answered"]);
    expect(failed({ ...clean(), refusals: ["decide sample 7: 409"] })).toEqual([
      { name: "every claim, load and decision on a claimed sample was accepted", ok: false, detail: "1: decide sample 7: 409" },
    ]);
  });

  it("shows the first five offenders and counts the rest", () => {
    const refusals = Array.from({ length: 8 }, (_, i) => `claim: ${400 + i}`);
    expect(failed({ ...clean(), refusals })[0].detail).toBe("8: claim: 400; claim: 401; claim: 402; claim: 403; claim: 404; … 3 more");
  });
});
