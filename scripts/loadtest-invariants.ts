// What the load test proves after the run, from what the annotators were told (HTTP answers) and what the database
// holds. Pure: scripts/loadtest.ts reads the rows, this decides; scripts/loadtest-invariants.test.ts shows each check
// catches the failure it is named after.

export type DecisionAction = "approve" | "discard";

/** A decision the server acknowledged (HTTP 200) to an annotator. */
export interface Ack {
  sampleId: number;
  /** `human:<email>`, as review_decisions records it. */
  author: string;
  action: DecisionAction;
  /** The version the annotator loaded and sent as expectedVersion. */
  loadedVersion: number;
  /** The sample's version after the decision, from the 200 answer. */
  version: number;
}

/** A row of review_decisions for a sample of the load test's dataset. */
export interface DecisionRow {
  sampleId: number;
  author: string;
  action: string;
  version: number;
}

/** A deliberate stale write: another annotator re-sent a decision on an acknowledged sample with its old version. */
export interface StaleAttempt {
  sampleId: number;
  author: string;
  /** The HTTP status it got (0 when the request itself failed). */
  status: number;
  /** The acknowledged decision it tried to overwrite. */
  first: Ack;
}

/** A sample's state after the run. */
export interface SampleState {
  id: number;
  version: number;
  status: string;
}

export interface InvariantInput {
  /** Reviews each sample needs (the dataset's reviews_per_sample): 1, or k independent votes. */
  reviewsPerSample?: number;
  acks: readonly Ack[];
  rows: readonly DecisionRow[];
  staleAttempts: readonly StaleAttempt[];
  /** The final state of every sample decided or aimed at by a stale write. */
  finalStates: readonly SampleState[];
  /** Responses with a 5xx status, of any request. */
  serverErrors: number;
  /** Requests that got no answer (connection error, timeout). */
  transportErrors: number;
  /** Claims, loads and (non-stale) decisions answered with a 4xx: "decide sample 12: 409 …". */
  refusals: readonly string[];
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** What was checked, or the first offenders when it failed. */
  detail: string;
}

const STATUS_AFTER: Record<DecisionAction, string> = { approve: "approved", discard: "discarded" };
const SHOWN = 5;

const key = (sampleId: number, author: string, version: number) => `${sampleId}|${author}|${version}`;

function examples(items: readonly string[]): string {
  return items.slice(0, SHOWN).join("; ") + (items.length > SHOWN ? `; … ${items.length - SHOWN} more` : "");
}

function result(name: string, offenders: string[], passed: string): InvariantResult {
  return offenders.length === 0 ? { name, ok: true, detail: passed } : { name, ok: false, detail: `${offenders.length}: ${examples(offenders)}` };
}

export function checkInvariants(input: InvariantInput): InvariantResult[] {
  const rowsByKey = new Map<string, DecisionRow[]>();
  for (const row of input.rows) {
    const k = key(row.sampleId, row.author, row.version);
    rowsByKey.set(k, [...(rowsByKey.get(k) ?? []), row]);
  }

  const notStoredOnce: string[] = [];
  for (const ack of input.acks) {
    const rows = rowsByKey.get(key(ack.sampleId, ack.author, ack.version)) ?? [];
    if (rows.length !== 1 || rows[0].action !== ack.action) {
      notStoredOnce.push(`sample ${ack.sampleId} ${ack.action} by ${ack.author} at v${ack.version}: ${rows.length} matching rows`);
    }
  }

  const acked = new Set(input.acks.map((a) => key(a.sampleId, a.author, a.version)));
  const unacknowledged = input.rows
    .filter((r) => !acked.has(key(r.sampleId, r.author, r.version)))
    .map((r) => `sample ${r.sampleId} ${r.action} by ${r.author} at v${r.version}`);

  const k = input.reviewsPerSample ?? 1;
  const deciders = new Map<number, DecisionRow[]>();
  for (const row of input.rows) {
    if (row.action !== "approve" && row.action !== "discard") continue;
    deciders.set(row.sampleId, [...(deciders.get(row.sampleId) ?? []), row]);
  }
  const decidedTwice = [...deciders]
    .filter(([, rows]) => rows.length > k || new Set(rows.map((r) => r.author)).size < rows.length)
    .map(([sampleId, rows]) => `sample ${sampleId} by ${rows.map((r) => r.author).join(" and ")}`);

  const finalState = new Map(input.finalStates.map((s) => [s.id, s]));
  // A sample's status follows its reviews: final once k of them agree, in the queue until then (or while they disagree).
  const wrongStatus: string[] = [];
  for (const [sampleId, rows] of deciders) {
    const agreed = rows.length === k && rows.every((r) => r.action === rows[0].action);
    const expected = agreed ? STATUS_AFTER[rows[0].action as DecisionAction] : "passed";
    const state = finalState.get(sampleId);
    if (state?.status !== expected) {
      wrongStatus.push(`sample ${sampleId}: ${rows.map((r) => r.action).join(", ")} → ${state?.status ?? "gone"}, expected ${expected}`);
    }
  }
  // What a stale write would have left: a row by its author after the first decision (with k > 1 reviews, its author
  // may well have voted on the sample before, at an earlier version).
  const rowsAfter = (sampleId: number, author: string, version: number) =>
    input.rows.some((r) => r.sampleId === sampleId && r.author === author && r.version > version);
  const staleWon: string[] = [];
  for (const attempt of input.staleAttempts) {
    const state = finalState.get(attempt.sampleId);
    const { first } = attempt;
    const kept = state?.version === first.version && state.status === STATUS_AFTER[first.action];
    const written = rowsAfter(attempt.sampleId, attempt.author, k === 1 ? 0 : first.version);
    if (attempt.status !== 409 || !kept || written) {
      staleWon.push(
        `sample ${attempt.sampleId}: ${attempt.author} got ${attempt.status || "no answer"}, ` +
          `sample is ${state ? `${state.status} v${state.version}` : "gone"} (first decision: ${STATUS_AFTER[first.action]} v${first.version} by ${first.author})`,
      );
    }
  }

  return [
    result("every acknowledged decision is in review_decisions exactly once", notStoredOnce, `${input.acks.length} acknowledged, each found once`),
    result("no decision was stored without being acknowledged", unacknowledged, `${input.rows.length} rows, all acknowledged`),
    k === 1
      ? result("no sample was decided twice (by two people, or by one)", decidedTwice, `${deciders.size} samples decided, each once`)
      : result(`no sample got more than ${k} reviews, or two from one reviewer`, decidedTwice, `${deciders.size} samples reviewed, each by at most ${k} different reviewers`),
    result(
      k === 1 ? "every decided sample has the status its decision gave" : `every sample is final exactly when its ${k} reviews agree`,
      wrongStatus,
      `${deciders.size} samples, each in the status its reviews give`,
    ),
    result(
      "no stale write overwrote another (409, and the first decision and version kept)",
      staleWon,
      `${input.staleAttempts.length} stale writes, all refused with 409, every first decision kept`,
    ),
    result("every claim, load and decision on a claimed sample was accepted", [...input.refusals], "all were"),
    result("no 5xx answer", input.serverErrors ? [`${input.serverErrors} responses`] : [], "none"),
    result("every request was answered", input.transportErrors ? [`${input.transportErrors} requests failed or timed out`] : [], "all were"),
  ];
}
