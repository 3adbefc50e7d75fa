/**
 * One seed of one problem under one configuration, through the ask/tell Client as a user would run it:
 * an explicit strategy (Sobol for max(5, 2d) trials, then the BoTorch generator with the
 * configuration's kwargs; or Sobol throughout), one trial at a time, each result told as the problem
 * reports it. Returns the run's figures (see `SuiteSeedResult`).
 */
import {
  boTorchHyperparameters,
  Client,
  type GenerationStrategy,
  modelBestPoint,
  type Parameterization,
  Rng,
} from "../../src/index.js";
import { log10Regret, strategyFor, timedNextTrial } from "../bo/shared.js";
import type { SuiteConfig } from "./configs.js";
import type { Evaluation, SuiteProblem } from "./problem.js";

/** Offset of the noise stream's seed from the run's seed, so noise and strategy draws never coincide. */
const NOISE_SEED_OFFSET = 300_000;

/** log10 true regrets of the three recommendation rules at the end of a run. */
export interface RecommendationRegrets {
  /** `getBestParameters()`: the product's default rule. */
  default: number;
  /** `getBestParameters({ useModelPredictions: false })`: the best observation. */
  observed: number;
  /** `modelBestPoint` warm-started from the generator's hyperparameters: the model's pick. */
  model: number;
}

/** The figures of one run. */
export interface SuiteSeedResult {
  seed: number;
  /** log10 final regret (noise-free: best feasible observed; noisy: the default recommendation's true value). */
  finalLog10Regret: number;
  /** The same after half the budget. */
  halfLog10Regret: number;
  /** 1 when the final regret is below the problem's basin threshold, 0 otherwise; absent without one. */
  inGlobalBasin?: number;
  /** Wall time (ms) of each getNextTrial the BoTorch generator answered. */
  genMs: number[];
  /** Continuous range-parameter values suggested by BoTorch, and how many of them sit on a bound. */
  boRangeValues: number;
  boEdgeValues: number;
  recommendation: RecommendationRegrets;
  /** Wall time of the whole run (s). */
  seconds: number;
}

/** Runs one seed; deterministic in its regrets for a given problem, configuration and seed. */
export async function runSuiteSeed(
  problem: SuiteProblem,
  config: SuiteConfig,
  seed: number,
): Promise<SuiteSeedResult> {
  const t0 = performance.now();
  const strategy =
    config.kind === "sobol"
      ? strategyFor("sobol", problem.dimension, seed)
      : strategyFor("bo", problem.dimension, seed, config.kwargs);
  const client = new Client({ verboseLogging: false, generationStrategy: strategy });
  await client.createExperiment({
    name: `${problem.key}_${seed}`,
    parameters: problem.parameters,
    objectives: { f: { minimize: true } },
    ...(problem.outcomeConstraints ? { outcomeConstraints: problem.outcomeConstraints } : {}),
  });
  const noise = new Rng(seed + NOISE_SEED_OFFSET);
  const truth = new Map<number, Evaluation>();
  const genMs: number[] = [];
  const edges = { values: 0, onBound: 0 };
  let half = Number.NaN;
  for (let i = 0; i < problem.budget; i++) {
    const before = genMs.length;
    const { trialIndex, parameters } = await timedNextTrial(client, genMs);
    if (genMs.length > before) countEdges(problem, parameters, edges);
    const evaluation = problem.evaluate(parameters, noise);
    truth.set(trialIndex, evaluation);
    await client.completeTrial(trialIndex, evaluation.report);
    if (i === Math.floor(problem.budget / 2) - 1) half = await runRegret(problem, client, truth);
  }
  const final = await runRegret(problem, client, truth);
  const recommendation = await recommendations(problem, client, strategy, truth);
  return {
    seed,
    finalLog10Regret: log10Regret(final),
    halfLog10Regret: log10Regret(half),
    ...(problem.basinRegret === undefined ? {} : { inGlobalBasin: final < problem.basinRegret ? 1 : 0 }),
    genMs: genMs.map((ms) => Math.round(ms * 100) / 100),
    boRangeValues: edges.values,
    boEdgeValues: edges.onBound,
    recommendation,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Regret of a trial's arm by its true value; an infeasible or missing arm scores the problem's worst. */
function trueRegret(problem: SuiteProblem, evaluation: Evaluation | undefined): number {
  if (evaluation?.feasible) return evaluation.value - problem.optimalValue;
  return (problem.worstValue ?? Number.NaN) - problem.optimalValue;
}

/** The run's regret so far: best feasible observed (noise-free) or the default recommendation (noisy). */
async function runRegret(
  problem: SuiteProblem,
  client: Client,
  truth: ReadonlyMap<number, Evaluation>,
): Promise<number> {
  if (problem.noisy) {
    const best = await client.getBestParameters();
    return trueRegret(problem, best ? truth.get(best.trialIndex) : undefined);
  }
  let best = Number.POSITIVE_INFINITY;
  for (const evaluation of truth.values()) if (evaluation.feasible) best = Math.min(best, evaluation.value);
  return Number.isFinite(best) ? best - problem.optimalValue : trueRegret(problem, undefined);
}

async function recommendations(
  problem: SuiteProblem,
  client: Client,
  strategy: GenerationStrategy,
  truth: ReadonlyMap<number, Evaluation>,
): Promise<RecommendationRegrets> {
  const regretOf = (trialIndex: number | undefined) =>
    log10Regret(trueRegret(problem, trialIndex === undefined ? undefined : truth.get(trialIndex)));
  const byDefault = await client.getBestParameters();
  const observed = await client.getBestParameters({ useModelPredictions: false });
  const model = modelBestPoint(client.experiment, { warmStart: boTorchHyperparameters(strategy) });
  return {
    default: regretOf(byDefault?.trialIndex),
    observed: regretOf(observed?.trialIndex),
    model: regretOf(model?.trialIndex),
  };
}

/** Counts BoTorch's continuous range values and those on a bound (log scale: to rounding of exp∘log). */
function countEdges(
  problem: SuiteProblem,
  parameters: Parameterization,
  edges: { values: number; onBound: number },
) {
  for (const spec of problem.parameters) {
    if (spec.type !== "range" || spec.valueType === "int") continue;
    const value = Number(parameters[spec.name]);
    const [lo, hi] = spec.bounds;
    const near = (bound: number) => Math.abs(value - bound) <= (spec.logScale ? 1e-12 * Math.abs(bound) : 0);
    edges.values++;
    if (near(lo) || near(hi)) edges.onBound++;
  }
}
