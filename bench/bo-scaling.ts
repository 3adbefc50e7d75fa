/**
 * Generation time against the number of observations: one cold Bayesian-optimization step on Hartmann6
 * after n uniformly random observations, through the public API (ask/tell Client whose strategy is a
 * single BoTorch step; the observations are attached trials), for n = 10 … 1,000, noise-free
 * (`[value, 0]`, LogEI) and with unknown noise (`[value, null]`, inferred σ², qLogNEI).
 *
 * Each run is cold: a new Client, so the GP fit has no warm start (see `coldFitRestarts` and `fitGp`). The
 * step's wall time is split into the GP fit, measured by a separate `fitGp` call with the generator's cold
 * options on the same dataset, and the rest (acquisition optimization, encoding and bookkeeping) = step − fit.
 *
 * `npm run bench -- bo-scaling [--ns 10,50,100,200,400,500,1000] [--repeats 5] [--noise noiseless,unknown]`
 */

import { coldFitRestarts } from "../src/generation/bo-generator.js";
import { Client, GenerationStep, GenerationStrategy, Generators, Hartmann6, Rng } from "../src/index.js";
import { fitGp } from "../src/numerics/gp/index.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";

/** Ax 0.3.3's median seconds per BO step on Hartmann6 with n random observations (BENCHMARKS.md). */
const AX_033_SECONDS: Readonly<Record<number, number>> = { 10: 1.3, 50: 1.5, 100: 1.2, 200: 1.4, 400: 2.5 };

type NoiseMode = "noiseless" | "unknown";

interface RunResult {
  seed: number;
  stepMs: number;
  fitMs: number;
  restMs: number;
  fitEvaluations: number;
}

/** n uniform points of [0, 1]^6 and their Hartmann6 values, from a seeded stream. */
function randomObservations(n: number, seed: number): { X: Float64Array; y: Float64Array } {
  const d = Hartmann6.dimension;
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.next());
  const y = Float64Array.from({ length: n }, (_, i) => Hartmann6.evaluate(X.subarray(i * d, (i + 1) * d)));
  return { X, y };
}

async function runOnce(n: number, noise: NoiseMode, seed: number): Promise<RunResult> {
  const d = Hartmann6.dimension;
  const client = new Client({
    verboseLogging: false,
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1 })],
      seed,
    }),
  });
  await client.createExperiment({
    name: `hartmann6_n${n}_${noise}_${seed}`,
    parameters: Hartmann6.bounds.map(([lo, hi], i) => ({
      name: `x${i + 1}`,
      type: "range" as const,
      bounds: [lo, hi] as [number, number],
    })),
    objectives: { f: { minimize: true } },
  });
  const { X, y } = randomObservations(n, 1_000_003 * seed + n);
  for (let i = 0; i < n; i++) {
    const parameters: Record<string, number> = {};
    for (let j = 0; j < d; j++) parameters[`x${j + 1}`] = X[i * d + j]!;
    const { trialIndex } = await client.attachTrial(parameters);
    await client.completeTrial(trialIndex, { f: [y[i]!, noise === "noiseless" ? 0 : null] });
  }
  const t0 = performance.now();
  await client.getNextTrial();
  const stepMs = performance.now() - t0;
  // The generator's cold fit on the same data (the bounds are the unit cube, a minimized objective is negated).
  const t1 = performance.now();
  const model = fitGp({
    X,
    n,
    d,
    Y: y.map((v) => -v),
    Yvar: noise === "noiseless" ? new Float64Array(n) : null,
    options: { restarts: coldFitRestarts(n), rng: new Rng(seed) },
  });
  const fitMs = performance.now() - t1;
  return {
    seed,
    stepMs,
    fitMs,
    restMs: Math.max(stepMs - fitMs, 0),
    fitEvaluations: model.fitDiagnostics?.evaluations ?? 0,
  };
}

function summarize(n: number, noise: NoiseMode, runs: RunResult[]): Record<string, string | number> {
  const step = runs.map((r) => r.stepMs);
  const ax = AX_033_SECONDS[n];
  return {
    noise,
    n,
    runs: runs.length,
    medianStepMs: median(step),
    p95StepMs: quantile(step, 0.95),
    medianFitMs: median(runs.map((r) => r.fitMs)),
    medianRestMs: median(runs.map((r) => r.restMs)),
    medianFitEvals: median(runs.map((r) => r.fitEvaluations)),
    axMs: ax === undefined ? "" : ax * 1000,
    ratioToAx: ax === undefined ? "" : median(step) / (ax * 1000),
  };
}

export async function main(args: string[]): Promise<void> {
  const ns = (flag(args, "ns") ?? "10,50,100,200,400,500,1000").split(",").map(Number);
  const repeats = Number(flag(args, "repeats") ?? 5);
  const modes = (flag(args, "noise") ?? "noiseless,unknown").split(",") as NoiseMode[];
  for (const mode of modes) {
    if (mode !== "noiseless" && mode !== "unknown") throw new Error(`Unknown noise mode ${mode}`);
  }
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown>[] = [];
  for (const noise of modes) {
    for (const n of ns) {
      const runs: RunResult[] = [];
      for (let seed = 0; seed < repeats; seed++) runs.push(await runOnce(n, noise, seed));
      const row = summarize(n, noise, runs);
      rows.push(row);
      results.push({ ...row, runs });
      console.error(`done: ${noise} n=${n} median ${Math.round(row.medianStepMs as number)} ms`);
    }
  }
  const path = writeResult("bo-scaling", {
    benchmark: "bo-scaling",
    protocol:
      "Hartmann6, n uniform random observations (seeded), Client with one BoTorch step, one cold getNextTrial; " +
      "fit = a separate cold fitGp on the same data, rest = step − fit; Ax 0.3.3 figures from BENCHMARKS.md",
    machine: machineInfo(),
    repeats,
    results,
  });
  printTable(rows);
  console.log(`\nwritten to ${path}`);
}
