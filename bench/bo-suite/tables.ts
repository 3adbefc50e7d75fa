/**
 * The tables of `npm run bench -- bo-suite`, built from the results file and the Optuna JSON only (so
 * `--table` and `--markdown` never run anything): per problem and configuration, then per
 * configuration (mean rank, edge shares, step times).
 */
import { median, printTable } from "../common.js";
import { TPE } from "./configs.js";
import { SUITE_PROBLEMS } from "./problems/index.js";
import type { ResultsFile } from "./results-file.js";
import { type CellSummary, meanRanks, type SeedFigures, summarizeCell } from "./summary.js";

/** The cells to show: config → problem key → summary, problems in the given order. */
export type SummaryGrid = Map<string, Map<string, CellSummary>>;

/**
 * Summaries of the chosen configurations (all stored ones, then TPE, when `configs` is undefined) over
 * the chosen problems, from the results file and the Optuna runs.
 */
export function buildGrid(
  file: ResultsFile,
  optuna: Record<string, { runs: SeedFigures[] }>,
  problemKeys: readonly string[],
  configs?: readonly string[],
): SummaryGrid {
  const names = configs ?? [...Object.keys(file.results), ...(Object.keys(optuna).length ? [TPE] : [])];
  const grid: SummaryGrid = new Map();
  for (const name of names) {
    const cells = new Map<string, CellSummary>();
    for (const key of problemKeys) {
      const runs = name === TPE ? optuna[key]?.runs : file.results[name]?.[key]?.runs;
      if (runs?.length) cells.set(key, summarizeCell(runs));
    }
    grid.set(name, cells);
  }
  return grid;
}

/** A problem's current label (the stored one for problems no longer defined). */
function labelOf(file: ResultsFile, key: string): string {
  return SUITE_PROBLEMS.find((p) => p.key === key)?.label ?? file.problems[key]?.label ?? key;
}

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "-");
const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : "-");
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");

/** Prints the per-problem tables and the per-configuration summary. */
export function printGrid(file: ResultsFile, grid: SummaryGrid, problemKeys: readonly string[]): void {
  const regretRows: Record<string, string | number>[] = [];
  const detailRows: Record<string, string | number>[] = [];
  for (const key of problemKeys) {
    const label = labelOf(file, key);
    for (const [config, cells] of grid) {
      const s = cells.get(key);
      if (!s) continue;
      regretRows.push({
        problem: label,
        config,
        seeds: s.seeds,
        meanFinal: f2(s.meanFinalLog10Regret),
        medianFinal: f2(s.medianFinalLog10Regret),
        medianHalf: f2(s.medianHalfLog10Regret),
        "≤1e-3": pct(s.within1e3Share),
        basin: pct(s.globalBasinShare),
      });
      const r = s.recommendation;
      detailRows.push({
        problem: label,
        config,
        genMsMed: ms(s.medianGenMs),
        genMsP95: ms(s.p95GenMs),
        edge: pct(s.edgeShare),
        "rec default mean/med": `${f2(r.default.mean)} / ${f2(r.default.median)}`,
        "observed mean/med": `${f2(r.observed.mean)} / ${f2(r.observed.median)}`,
        "model mean/med": `${f2(r.model.mean)} / ${f2(r.model.median)}`,
      });
    }
  }
  console.log("Final log10 regret (lower is better), seeds within 1e-3 of f*, share in the global basin");
  printTable(regretRows);
  console.log("\nms per BoTorch step, edge share, log10 true regret of each recommendation rule");
  printTable(detailRows);
  console.log("\nPer configuration (rank by mean final log10 regret within each problem, ties averaged)");
  printTable(configRows(file, grid));
}

/** Mean rank, edge shares (all problems; problems whose optimum is not on a bound) and step times per configuration. */
export function configRows(file: ResultsFile, grid: SummaryGrid): Record<string, string | number>[] {
  const ranks = meanRanks(
    new Map(
      [...grid].map(([c, cells]) => [c, new Map([...cells].map(([k, s]) => [k, s.meanFinalLog10Regret]))]),
    ),
  );
  return [...grid].map(([config, cells]) => {
    const share = (keep: (key: string) => boolean) => {
      const kept = [...cells].filter(([k]) => keep(k)).map(([, s]) => s);
      const values = kept.reduce((a, s) => a + s.rangeValues, 0);
      return values ? kept.reduce((a, s) => a + s.edgeValues, 0) / values : Number.NaN;
    };
    const genMedians = [...cells.values()].map((s) => s.medianGenMs).filter(Number.isFinite);
    return {
      config,
      meanRank: f2(ranks.get(config)!.meanRank),
      problemsRanked: ranks.get(config)!.problems,
      problems: cells.size,
      edgeAll: pct(share(() => true)),
      edgeInteriorOptimum: pct(share((k) => file.problems[k]?.optimumOnBound === false)),
      medianOfGenMsMedians: ms(median(genMedians)),
    };
  });
}

/** The table for docs/bayesian-optimization.md: mean final log10 regret (global-basin share) per problem. */
export function markdownTable(file: ResultsFile, grid: SummaryGrid, problemKeys: readonly string[]): string {
  const configs = [...grid.keys()];
  const head = `| problem | ${configs.join(" | ")} |`;
  const rule = `| --- | ${configs.map(() => "---").join(" | ")} |`;
  const cell = (s: CellSummary | undefined) =>
    s
      ? `${s.meanFinalLog10Regret.toFixed(2)}${Number.isFinite(s.globalBasinShare) ? ` (${pct(s.globalBasinShare)})` : ""}`
      : "";
  const rows = problemKeys
    .filter((k) => configs.some((c) => grid.get(c)!.has(k)))
    .map(
      (k) =>
        `| ${labelOf(file, k).replaceAll("|", "\\|")} | ${configs.map((c) => cell(grid.get(c)!.get(k))).join(" | ")} |`,
    );
  const summary = configRows(file, grid);
  const rankRow = `| mean rank | ${summary.map((r) => r.meanRank).join(" | ")} |`;
  return [head, rule, ...rows, rankRow].join("\n");
}
