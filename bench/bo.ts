/**
 * Sample efficiency and speed of Bayesian optimization, with the protocol of the reference figures:
 * the ask/tell Client, one trial at a time, results reported noise-free (`[value, 0]`), Sobol for
 * max(5, 2d) trials then the BoTorch generator; final log10 simple regret over seeds (mean and median),
 * regret at half budget, and wall time per BO generation.
 *
 * `npm run bench -- bo [--seeds N] [--problems branin,hartmann6]`; `BO_KWARGS='{"numRawSamples":2048}'` passes
 * options to the BoTorch generator (for experiments with its settings).
 */
import {
  Branin,
  Client,
  GenerationStep,
  GenerationStrategy,
  Generators,
  Hartmann6,
  type TestFunction,
} from "../src/index.js";
import { machineInfo, median, printTable, quantile, writeResult } from "./common.js";

const KWARGS = JSON.parse(process.env.BO_KWARGS ?? "{}") as Record<string, number>;
const PROBLEMS: Record<string, { fn: TestFunction; budget: number }> = {
  branin: { fn: Branin, budget: 30 },
  hartmann6: { fn: Hartmann6, budget: 50 },
};

async function runSeed(fn: TestFunction, budget: number, seed: number) {
  const d = fn.dimension;
  const client = new Client({
    verboseLogging: false,
    generationStrategy: new GenerationStrategy({
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: Math.max(5, 2 * d) }),
        new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1, generatorKwargs: KWARGS }),
      ],
      seed,
    }),
  });
  await client.createExperiment({
    name: `${fn.name}_${seed}`,
    parameters: fn.bounds.map(([lo, hi], i) => ({
      name: `x${i + 1}`,
      type: "range" as const,
      bounds: [lo, hi] as [number, number],
    })),
    objectives: { f: { minimize: true } },
  });
  let best = Number.POSITIVE_INFINITY;
  let bestAtHalf = Number.NaN;
  const genMs: number[] = [];
  for (let i = 0; i < budget; i++) {
    const t0 = performance.now();
    const { trialIndex, parameters } = await client.getNextTrial();
    const ms = performance.now() - t0;
    if (client.getTrial(trialIndex).generatorName === "BoTorch") genMs.push(ms);
    const y = fn.evaluate(fn.bounds.map((_, j) => Number(parameters[`x${j + 1}`])));
    await client.completeTrial(trialIndex, { f: [y, 0] });
    best = Math.min(best, y);
    if (i === budget / 2 - 1) bestAtHalf = best;
  }
  const regret = (v: number) => Math.log10(Math.max(v - fn.optimalValue, 1e-12));
  return { seed, finalLog10Regret: regret(best), halfLog10Regret: regret(bestAtHalf), genMs };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function main(args: string[]): Promise<void> {
  const seeds = Number(flag(args, "seeds") ?? 10);
  const names = (flag(args, "problems") ?? "branin,hartmann6").split(",");
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  for (const name of names) {
    const problem = PROBLEMS[name];
    if (!problem) throw new Error(`Unknown problem ${name}; known: ${Object.keys(PROBLEMS).join(", ")}`);
    const runs = [];
    for (let seed = 0; seed < seeds; seed++) runs.push(await runSeed(problem.fn, problem.budget, seed));
    const finals = runs.map((r) => r.finalLog10Regret);
    const halves = runs.map((r) => r.halfLog10Regret);
    const gen = runs.flatMap((r) => r.genMs);
    const row = {
      problem: `${problem.fn.name} (${problem.budget})`,
      seeds,
      meanFinalLog10Regret: finals.reduce((a, b) => a + b, 0) / finals.length,
      medianFinalLog10Regret: median(finals),
      medianHalfLog10Regret: median(halves),
      medianGenMs: median(gen),
      p95GenMs: quantile(gen, 0.95),
    };
    rows.push(row);
    results[name] = { ...row, runs };
  }
  const path = writeResult("bo", {
    benchmark: "bo",
    protocol: "Client ask/tell, one trial at a time, noise-free [value, 0], Sobol max(5, 2d) then BoTorch",
    machine: machineInfo(),
    results,
  });
  printTable(rows);
  console.log(`\nwritten to ${path}`);
}
