/**
 * Sample efficiency and speed of Bayesian optimization: the matrix of problems in `bench/bo/*.ts`, each
 * run with the default BO setup (Sobol for max(5, 2d) trials, then the BoTorch generator; "bo") and with
 * Sobol only ("sobol"), over N seeds (default 20, the reference protocol's seeds 0-19). Per problem and mode: mean and median final log10 simple
 * regret, median log10 regret at half budget, share of seeds in the global basin (where the problem
 * defines one), median and p95 wall time per BO generation, total wall time; for the sequential
 * problems also the share of model-chosen range values on a bound of their box (`edgeShare`; within 1%
 * of the range, `nearEdgeShare`).
 *
 * `npm run bench -- bo [--seeds N] [--first-seed S] [--problems branin,hartmann6,...] [--modes bo,sobol]`
 * (seeds S..S+N-1, default 0..19; other seed sets check that a figure is not the luck of seeds 0-19);
 * `BO_KWARGS='{"numRawSamples":2048}'` passes options to the BoTorch generator (for experiments with its
 * settings). Writes `bench/results/bo.json` with every seed's figures.
 *
 * `npm run bench -- bo --overhead [...]` measures ask+tell time with inferred noise instead (see
 * bench/bo-overhead.ts).
 */

import { branin_bare, camel, corner3, face4, hartmann3, hartmann6_bare } from "./bo/basin-edge.js";
import { branin } from "./bo/branin.js";
import { braninAsync3 } from "./bo/branin-async3.js";
import { braninCurrin } from "./bo/branin-currin.js";
import { constrained } from "./bo/constrained.js";
import { hartmann6 } from "./bo/hartmann6.js";
import { hartmann6Noisy } from "./bo/hartmann6-noisy.js";
import type { BenchProblem, SeedResult } from "./bo/problem.js";
import { BO_KWARGS } from "./bo/shared.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";

const PROBLEMS: readonly BenchProblem[] = [
  branin,
  hartmann6,
  hartmann6Noisy,
  braninAsync3,
  constrained,
  braninCurrin,
  hartmann3,
  camel,
  branin_bare,
  hartmann6_bare,
  corner3,
  face4,
];
const MODES = ["bo", "sobol"] as const;
type Mode = (typeof MODES)[number];

const PROTOCOL =
  "Each problem through the ask/tell Client as a user would, with an explicit GenerationStrategy: mode 'bo' = " +
  "Sobol for max(5, 2d) trials then Generators.BOTORCH (generatorKwargs = BO_KWARGS), mode 'sobol' = Sobol only; " +
  "strategy seed = run seed. Simple regret per problem (see regretDefinition); log10 with a floor of 1e-12. " +
  "Half budget = after half the evaluations. genMs = wall time of each getNextTrial answered by BoTorch.";

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** A figure for the printed table: "-" where there is none. */
function fig(value: number): number | string {
  return Number.isFinite(value) ? value : "-";
}

function summarize(problem: BenchProblem, mode: Mode, runs: readonly SeedResult[], totalSeconds: number) {
  const finals = runs.map((r) => r.finalLog10Regret);
  const gen = runs.flatMap((r) => r.genMs);
  const basin = runs.every((r) => r.extra?.inGlobalBasin !== undefined)
    ? mean(runs.map((r) => r.extra!.inGlobalBasin!))
    : Number.NaN;
  const extraKeys = [...new Set(runs.flatMap((r) => Object.keys(r.extra ?? {})))].filter(
    (k) => k !== "inGlobalBasin",
  );
  const extras: Record<string, { mean: number; median: number }> = {};
  for (const key of extraKeys) {
    const values = runs.map((r) => r.extra?.[key]).filter((v): v is number => v !== undefined);
    extras[key] = { mean: mean(values), median: median(values) };
  }
  return {
    problem: problem.label,
    mode,
    seeds: runs.length,
    meanFinalLog10Regret: mean(finals),
    medianFinalLog10Regret: median(finals),
    medianHalfLog10Regret: median(runs.map((r) => r.halfLog10Regret)),
    globalBasinShare: basin,
    medianGenMs: median(gen),
    p95GenMs: quantile(gen, 0.95),
    totalSeconds,
    extras,
  };
}

export async function main(args: string[]): Promise<void> {
  // The ask+tell overhead with inferred noise is its own measurement (bench/bo-overhead.ts).
  if (args.includes("--overhead")) {
    const { main: overhead } = await import("./bo-overhead.js");
    return overhead(args.filter((a) => a !== "--overhead"));
  }
  const seeds = Number(flag(args, "seeds") ?? 20);
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new Error(`--seeds must be a positive integer, got ${seeds}`);
  const firstSeed = Number(flag(args, "first-seed") ?? 0);
  if (!Number.isInteger(firstSeed) || firstSeed < 0)
    throw new Error(`--first-seed must be a non-negative integer, got ${firstSeed}`);
  const keys = flag(args, "problems")?.split(",") ?? PROBLEMS.map((p) => p.key);
  const problems = keys.map((key) => {
    const problem = PROBLEMS.find((p) => p.key === key);
    if (!problem) throw new Error(`Unknown problem ${key}; known: ${PROBLEMS.map((p) => p.key).join(", ")}`);
    return problem;
  });
  const modes = (flag(args, "modes")?.split(",") ?? [...MODES]).map((m) => {
    if (!(MODES as readonly string[]).includes(m))
      throw new Error(`Unknown mode ${m}; known: ${MODES.join(", ")}`);
    return m as Mode;
  });

  const rows: Record<string, string | number>[] = [];
  const extraRows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  const payload = () => ({
    benchmark: "bo",
    protocol: PROTOCOL,
    machine: machineInfo(),
    boKwargs: BO_KWARGS,
    seeds,
    firstSeed,
    modes,
    results,
  });
  for (const problem of problems) {
    const byMode: Record<string, unknown> = {};
    results[problem.key] = {
      label: problem.label,
      regretDefinition: problem.regretDefinition,
      modes: byMode,
    };
    for (const mode of modes) {
      const t0 = performance.now();
      const runs: SeedResult[] = [];
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) runs.push(await problem.run(seed, mode));
      const summary = summarize(problem, mode, runs, (performance.now() - t0) / 1000);
      byMode[mode] = { ...summary, runs };
      const { extras, ...figures } = summary;
      rows.push({
        ...figures,
        globalBasinShare: fig(figures.globalBasinShare),
        medianGenMs: fig(figures.medianGenMs),
        p95GenMs: fig(figures.p95GenMs),
      });
      for (const [figure, { mean: m, median: med }] of Object.entries(extras)) {
        extraRows.push({ problem: problem.label, mode, figure, mean: m, median: med });
      }
      writeResult("bo", payload());
    }
  }
  const path = writeResult("bo", payload());
  printTable(rows);
  if (extraRows.length) {
    console.log("");
    printTable(extraRows);
  }
  console.log(`\nwritten to ${path}`);
}
