/**
 * Figures of one (configuration, problem) cell from its seeds' results, and the mean rank of each
 * configuration across problems.
 */
import { median, quantile } from "../common.js";
import type { SuiteSeedResult } from "./run-seed.js";

/** A seed's figures as the summary needs them; the Optuna JSON gives the same fields (genMs empty). */
export type SeedFigures = Pick<
  SuiteSeedResult,
  "seed" | "finalLog10Regret" | "halfLog10Regret" | "inGlobalBasin" | "boRangeValues" | "boEdgeValues"
> & {
  genMs?: number[];
  recommendation?: Partial<SuiteSeedResult["recommendation"]>;
};

/** log10 regret at or below which a run counts as within 1e-3 of the optimum. */
const WITHIN_LOG10 = -3;

export interface CellSummary {
  seeds: number;
  meanFinalLog10Regret: number;
  medianFinalLog10Regret: number;
  medianHalfLog10Regret: number;
  /** Share of seeds with final regret ≤ 1e-3. */
  within1e3Share: number;
  /** Share of seeds in the global basin; NaN when the problem defines none. */
  globalBasinShare: number;
  medianGenMs: number;
  p95GenMs: number;
  /** BoTorch-suggested continuous range values on a bound / all of them (NaN when none). */
  edgeShare: number;
  edgeValues: number;
  rangeValues: number;
  /** log10 true regret of each recommendation rule, mean and median over seeds (NaN when not measured). */
  recommendation: Record<"default" | "observed" | "model", { mean: number; median: number }>;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

export function summarizeCell(runs: readonly SeedFigures[]): CellSummary {
  const finals = runs.map((r) => r.finalLog10Regret);
  const gen = runs.flatMap((r) => r.genMs ?? []);
  const edgeValues = runs.reduce((a, r) => a + r.boEdgeValues, 0);
  const rangeValues = runs.reduce((a, r) => a + r.boRangeValues, 0);
  const rule = (key: "default" | "observed" | "model") => {
    const values = runs.map((r) => r.recommendation?.[key]).filter((v): v is number => v !== undefined);
    return values.length === runs.length
      ? { mean: mean(values), median: median(values) }
      : { mean: Number.NaN, median: Number.NaN };
  };
  return {
    seeds: runs.length,
    meanFinalLog10Regret: mean(finals),
    medianFinalLog10Regret: median(finals),
    medianHalfLog10Regret: median(runs.map((r) => r.halfLog10Regret)),
    within1e3Share: mean(finals.map((v) => (v <= WITHIN_LOG10 ? 1 : 0))),
    globalBasinShare: runs.every((r) => r.inGlobalBasin !== undefined)
      ? mean(runs.map((r) => r.inGlobalBasin!))
      : Number.NaN,
    medianGenMs: median(gen),
    p95GenMs: quantile(gen, 0.95),
    edgeShare: rangeValues > 0 ? edgeValues / rangeValues : Number.NaN,
    edgeValues,
    rangeValues,
    recommendation: { default: rule("default"), observed: rule("observed"), model: rule("model") },
  };
}

/**
 * Ranks of values, 1 for the lowest, ties sharing the average of their ranks (so a tie of two for first
 * gives 1.5 each).
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

/**
 * Mean rank of each configuration across the problems every one of them has a figure for, ranked by
 * mean final log10 regret within each problem (lower is better; ties averaged).
 * @param table config → problem → mean final log10 regret.
 * @returns config → { meanRank, problems } (problems = how many problems were ranked).
 */
export function meanRanks(
  table: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Map<string, { meanRank: number; problems: number }> {
  const configs = [...table.keys()];
  const problems = [...new Set(configs.flatMap((c) => [...table.get(c)!.keys()]))].filter((p) =>
    configs.every((c) => Number.isFinite(table.get(c)!.get(p))),
  );
  const sums = new Map(configs.map((c) => [c, 0]));
  for (const problem of problems) {
    const ranks = averageRanks(configs.map((c) => table.get(c)!.get(problem)!));
    configs.forEach((c, i) => {
      sums.set(c, sums.get(c)! + ranks[i]!);
    });
  }
  return new Map(
    configs.map((c) => [c, { meanRank: sums.get(c)! / problems.length, problems: problems.length }]),
  );
}
