/**
 * Pieces shared by the problems of `npm run bench -- bo`: the generation strategies of the two modes,
 * the box parameters, timed asks, and the sequential noise-free loop of the reference protocol.
 */
import {
  Client,
  GenerationStep,
  GenerationStrategy,
  Generators,
  type JsonValue,
  type ParameterSpec,
  type TestFunction,
  type TrialHandle,
} from "../../src/index.js";
import type { SeedResult } from "./problem.js";

/** Options of the BoTorch generator from the BO_KWARGS environment variable (JSON), e.g. `{"numRawSamples":2048}`. */
export const BO_KWARGS = JSON.parse(process.env.BO_KWARGS ?? "{}") as Record<string, number>;

/** Regret floor, so that hitting the optimum to machine precision gives log10 = −12 rather than −∞. */
export const REGRET_FLOOR = 1e-12;

export function log10Regret(regret: number): number {
  return Math.log10(Math.max(regret, REGRET_FLOOR));
}

/**
 * The generation strategy of a run, explicit so the figures stay comparable if the default changes:
 * "bo" is Sobol for max(5, 2d) trials then `Generators.BOTORCH` (with `kwargs`, BO_KWARGS unless
 * given); "sobol" is Sobol only.
 */
export function strategyFor(
  mode: "bo" | "sobol",
  dimension: number,
  seed: number,
  kwargs: Readonly<Record<string, JsonValue>> = BO_KWARGS,
): GenerationStrategy {
  const steps =
    mode === "bo"
      ? [
          new GenerationStep({ generator: Generators.SOBOL, numTrials: Math.max(5, 2 * dimension) }),
          new GenerationStep({
            generator: Generators.BOTORCH,
            numTrials: -1,
            generatorKwargs: { ...kwargs },
          }),
        ]
      : [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })];
  return new GenerationStrategy({ steps, seed });
}

/** A quiet Client with the strategy of the mode. */
export function newClient(mode: "bo" | "sobol", dimension: number, seed: number): Client {
  return new Client({ verboseLogging: false, generationStrategy: strategyFor(mode, dimension, seed) });
}

/** Range parameters x1..xd on the given box. */
export function boxParameters(bounds: readonly (readonly [number, number])[]): ParameterSpec[] {
  return bounds.map(([lo, hi], i) => ({
    name: `x${i + 1}`,
    type: "range" as const,
    bounds: [lo, hi] as [number, number],
  }));
}

/** The point of a trial's parameters x1..xd. */
export function pointOf(parameters: TrialHandle["parameters"], dimension: number): number[] {
  return Array.from({ length: dimension }, (_, j) => Number(parameters[`x${j + 1}`]));
}

/**
 * Asks the Client for one trial and times it; the time goes to `genMs` when the BoTorch generator made
 * the trial (Sobol asks are not counted).
 */
export async function timedNextTrial(client: Client, genMs: number[]): Promise<TrialHandle> {
  const t0 = performance.now();
  const handle = await client.getNextTrial();
  const ms = performance.now() - t0;
  if (client.getTrial(handle.trialIndex).generatorName === "BoTorch") genMs.push(ms);
  return handle;
}

/**
 * Counts the range-parameter values of model-chosen trials that sit on a bound of their box: exactly
 * (`onBound`) and within 1% of the range (`nearBound`). Many exact-bound values on a problem whose optimum
 * is interior mean the acquisition rewards the model's variance at the box's edges.
 */
export class EdgeCounter {
  private values = 0;
  private onBound = 0;
  private nearBound = 0;

  constructor(private readonly bounds: readonly (readonly [number, number])[]) {}

  /** Records the values of one trial (call only for trials the BoTorch generator made). */
  add(point: readonly number[]): void {
    point.forEach((v, j) => {
      const [lo, hi] = this.bounds[j]!;
      const slack = 0.01 * (hi - lo);
      this.values++;
      if (v === lo || v === hi) this.onBound++;
      if (v <= lo + slack || v >= hi - slack) this.nearBound++;
    });
  }

  /** `edgeShare` and `nearEdgeShare` (NaN-free: 0 when no model-chosen trial was recorded). */
  figures(): { edgeShare: number; nearEdgeShare: number } {
    const n = Math.max(this.values, 1);
    return { edgeShare: this.onBound / n, nearEdgeShare: this.nearBound / n };
  }
}

/** How results are reported: noise-free `[value, 0]`, or a bare number (the model then infers noise). */
export type Reporting = "noiseFree" | "bare";

/**
 * The reference protocol: ask/tell one trial at a time, each value reported noise-free (`[value, 0]`;
 * or as a bare number with `reporting: "bare"`), simple regret = best value found − f*, at the end and
 * after half the budget; `extra` holds the edge shares of the model-chosen trials (see {@link EdgeCounter}).
 */
export async function runSequentialNoiseFree(
  fn: TestFunction,
  budget: number,
  seed: number,
  mode: "bo" | "sobol",
  reporting: Reporting = "noiseFree",
): Promise<SeedResult> {
  const d = fn.dimension;
  const client = newClient(mode, d, seed);
  await client.createExperiment({
    name: `${fn.name}_${seed}`,
    parameters: boxParameters(fn.bounds),
    objectives: { f: { minimize: true } },
  });
  let best = Number.POSITIVE_INFINITY;
  let bestAtHalf = Number.NaN;
  const genMs: number[] = [];
  const edges = new EdgeCounter(fn.bounds);
  for (let i = 0; i < budget; i++) {
    const { trialIndex, parameters } = await timedNextTrial(client, genMs);
    const point = pointOf(parameters, d);
    if (client.getTrial(trialIndex).generatorName === "BoTorch") edges.add(point);
    const y = fn.evaluate(point);
    await client.completeTrial(trialIndex, { f: reporting === "bare" ? y : [y, 0] });
    best = Math.min(best, y);
    if (i === Math.floor(budget / 2) - 1) bestAtHalf = best;
  }
  return {
    seed,
    finalLog10Regret: log10Regret(best - fn.optimalValue),
    halfLog10Regret: log10Regret(bestAtHalf - fn.optimalValue),
    genMs,
    extra: edges.figures(),
  };
}
