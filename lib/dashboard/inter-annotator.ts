// Inter-annotator agreement on samples reviewed by several people (datasets with reviews_per_sample k > 1): how often
// the reviewers of a sample all decided the same, and the same corrected for chance — Fleiss' kappa over every
// sample, Cohen's kappa per pair of reviewers on the samples both reviewed. Pure: the queries read the votes.

/** One sample's votes in one round: who decided what (approve / discard, or any other category). */
export interface RatedItem {
  ratings: readonly { rater: string; category: string }[];
}

export interface PairAgreement {
  a: string;
  b: string;
  /** Samples both reviewed. */
  items: number;
  /** Share of those on which they decided the same. */
  agreement: number;
  /** Cohen's kappa; null when chance alone explains every agreement (both always chose one and the same category). */
  kappa: number | null;
}

export interface InterAnnotatorAgreement {
  /** Samples with at least two votes. */
  items: number;
  /** Share of those on which every reviewer decided the same. */
  agreement: number | null;
  /** Fleiss' kappa (raters per sample may vary); null without items or when every vote is the same category. */
  kappa: number | null;
  pairs: PairAgreement[];
}

const rated = (items: readonly RatedItem[]) => items.filter((item) => item.ratings.length >= 2);

/** The share of items whose ratings are all the same category (null without items). */
export function percentAgreement(items: readonly RatedItem[]): number | null {
  const counted = rated(items);
  if (counted.length === 0) return null;
  return counted.filter((item) => item.ratings.every((r) => r.category === item.ratings[0].category)).length / counted.length;
}

/** Fleiss' kappa, with each item's own number of raters (Fleiss 1971, as generalised for unequal n_i). */
export function fleissKappa(items: readonly RatedItem[]): number | null {
  const counted = rated(items);
  if (counted.length === 0) return null;
  const totals = new Map<string, number>();
  let ratings = 0;
  let observed = 0;
  for (const item of counted) {
    const n = item.ratings.length;
    const perCategory = new Map<string, number>();
    for (const { category } of item.ratings) perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
    let pairsAgreeing = 0;
    for (const [category, count] of perCategory) {
      pairsAgreeing += count * (count - 1);
      totals.set(category, (totals.get(category) ?? 0) + count);
    }
    observed += pairsAgreeing / (n * (n - 1));
    ratings += n;
  }
  const meanObserved = observed / counted.length;
  const expected = [...totals.values()].reduce((sum, count) => sum + (count / ratings) ** 2, 0);
  return expected === 1 ? null : (meanObserved - expected) / (1 - expected);
}

/** Cohen's kappa of two raters over the items both rated: [their category, the other's category] per item. */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): number | null {
  if (pairs.length === 0) return null;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) agree++;
  }
  const n = pairs.length;
  const expected = [...a].reduce((sum, [category, count]) => sum + (count / n) * ((b.get(category) ?? 0) / n), 0);
  return expected === 1 ? null : (agree / n - expected) / (1 - expected);
}

/** Every pair of reviewers who reviewed a sample together, by name order, with their agreement and kappa. */
export function pairAgreements(items: readonly RatedItem[]): PairAgreement[] {
  const byPair = new Map<string, { a: string; b: string; pairs: [string, string][] }>();
  for (const item of rated(items)) {
    const sorted = [...item.ratings].sort((x, y) => x.rater.localeCompare(y.rater));
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const key = `${sorted[i].rater}\u0000${sorted[j].rater}`;
        const entry = byPair.get(key) ?? { a: sorted[i].rater, b: sorted[j].rater, pairs: [] };
        entry.pairs.push([sorted[i].category, sorted[j].category]);
        byPair.set(key, entry);
      }
    }
  }
  return [...byPair.values()]
    .map(({ a, b, pairs }) => ({ a, b, items: pairs.length, agreement: pairs.filter(([x, y]) => x === y).length / pairs.length, kappa: cohensKappa(pairs) }))
    .sort((x, y) => y.items - x.items || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

export function interAnnotatorAgreement(items: readonly RatedItem[]): InterAnnotatorAgreement {
  return { items: rated(items).length, agreement: percentAgreement(items), kappa: fleissKappa(items), pairs: pairAgreements(items) };
}
