// How far a judge agrees with the people who decided the same samples, and whether one judge configuration agrees
// better than another beyond noise. Pure: the counts come from lib/calibration/queries.ts.
//
// "Positive" is a failure: the judge's job in a run is to find what must go, so precision says how many of its
// failures a person would also have failed, recall how many of the people's failures it found.

/** The people's label: an approval passes every stage; a discard that blames this stage fails it. */
export type HumanLabel = "pass" | "fail";
/** The stage's outcome with the judge: error (no usable answer) and skip (the stage did not apply) are no verdict. */
export type JudgeLabel = "pass" | "fail" | "error" | "skip";

export interface Confusion {
  /** Both failed it. */
  bothFail: number;
  /** The person failed it, the judge passed it (a miss). */
  humanFailJudgePass: number;
  /** The person passed it, the judge failed it (a false alarm). */
  humanPassJudgeFail: number;
  bothPass: number;
}

export interface CalibrationMetrics {
  confusion: Confusion;
  /** Samples with a verdict (pass or fail) from the judge: what the figures are over. */
  judged: number;
  /** Samples the judge gave no usable answer on, or where the stage did not apply: left out of the figures. */
  errors: number;
  skipped: number;
  /** Share of judged samples where judge and person agree; null with none judged. */
  agreement: number | null;
  /** Of the judge's failures, the share the person failed too (null: the judge failed none). */
  precision: number | null;
  /** Of the person's failures, the share the judge found (null: the person failed none). */
  recall: number | null;
  /** Cohen's kappa between judge and person (null when either gave one label only: kappa is undefined then). */
  kappa: number | null;
}

export function emptyConfusion(): Confusion {
  return { bothFail: 0, humanFailJudgePass: 0, humanPassJudgeFail: 0, bothPass: 0 };
}

/** Adds one sample's pair to the counts (error and skip are counted apart, by the caller). */
export function tally(confusion: Confusion, human: HumanLabel, judge: "pass" | "fail"): void {
  if (human === "fail") confusion[judge === "fail" ? "bothFail" : "humanFailJudgePass"]++;
  else confusion[judge === "fail" ? "humanPassJudgeFail" : "bothPass"]++;
}

const share = (part: number, whole: number) => (whole ? part / whole : null);

export function calibrationMetrics(confusion: Confusion, errors = 0, skipped = 0): CalibrationMetrics {
  const { bothFail, humanFailJudgePass, humanPassJudgeFail, bothPass } = confusion;
  const judged = bothFail + humanFailJudgePass + humanPassJudgeFail + bothPass;
  const agreement = share(bothFail + bothPass, judged);
  const humanFail = bothFail + humanFailJudgePass;
  const judgeFail = bothFail + humanPassJudgeFail;
  // Expected agreement by chance, from each side's own rate of failing.
  const chance = judged ? (humanFail / judged) * (judgeFail / judged) + ((judged - humanFail) / judged) * ((judged - judgeFail) / judged) : 0;
  const kappa = agreement === null || chance === 1 ? null : (agreement - chance) / (1 - chance);
  return { confusion, judged, errors, skipped, agreement, precision: share(bothFail, judgeFail), recall: share(bothFail, humanFail), kappa };
}

export interface PairedComparison {
  /** Samples both configurations judged (pass or fail): the comparison is over these. */
  pairs: number;
  /** Samples only A agreed with the person on, and only B. */
  onlyA: number;
  onlyB: number;
  /** Agreement of A and B on the paired samples. */
  agreementA: number | null;
  agreementB: number | null;
  /** McNemar's exact test (two-sided binomial on the discordant pairs): the chance of a difference this large by noise. */
  pValue: number;
  /** p < 0.05. */
  beyondNoise: boolean;
}

/**
 * Two configurations on the same samples: per sample, whether each agreed with the person (keyed by sample id;
 * samples either left without a verdict are not paired). McNemar's test looks only at the samples where they differ.
 */
export function compareConfigurations(a: ReadonlyMap<number, boolean>, b: ReadonlyMap<number, boolean>): PairedComparison {
  let pairs = 0;
  let bothRight = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const [sampleId, rightA] of a) {
    const rightB = b.get(sampleId);
    if (rightB === undefined) continue;
    pairs++;
    if (rightA && rightB) bothRight++;
    else if (rightA) onlyA++;
    else if (rightB) onlyB++;
  }
  const pValue = mcnemarExact(onlyA, onlyB);
  return {
    pairs,
    onlyA,
    onlyB,
    agreementA: share(bothRight + onlyA, pairs),
    agreementB: share(bothRight + onlyB, pairs),
    pValue,
    beyondNoise: pValue < 0.05,
  };
}

/** Two-sided exact McNemar p-value: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1. */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  // Summed in logs: C(n, i)/2^n underflows for large n.
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let logSum = logTerm;
  for (let i = 0; i < Math.min(b, c); i++) {
    logTerm += Math.log(n - i) - Math.log(i + 1);
    logSum = Math.max(logSum, logTerm) + Math.log1p(Math.exp(-Math.abs(logSum - logTerm)));
  }
  return Math.min(1, 2 * Math.exp(logSum));
}
