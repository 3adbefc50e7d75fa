/**
 * Hartmann6 with Gaussian observation noise, 50 evaluations: each observation is f(x) + N(0, 0.1²) from
 * a seeded Rng (its own stream per seed, the same in both modes), reported with `sem: null` (noise
 * unknown, to be inferred by the model); otherwise the reference protocol (one trial at a time).
 *
 * Reported regret: the *recommendation* regret, the true (noise-free) value of the arm the user would
 * pick, `Client.getBestParameters()` (its default rule "auto": the model's choice once BoTorch runs
 * unless the best observed mean beats it by more than 2 noise sds; the best observed mean under Sobol
 * only), minus f*. `extra.observedBestRegret` is the same for the arm with the best
 * observed mean (averaged over its observations if it was evaluated more than once), the pick without a
 * model; `extra.oracleRegret` (and `extra.oracleLog10Regret`) is the best true value among all evaluated
 * arms minus f*, which ignores how well the noise lets us tell arms apart. `extra.inGlobalBasin` is 1
 * when the reported regret is below 0.05.
 */
import { Hartmann6, Rng } from "../../src/index.js";
import { HARTMANN6_BASIN_REGRET } from "./hartmann6.js";
import type { BenchProblem, SeedResult } from "./problem.js";
import { boxParameters, log10Regret, newClient, pointOf, timedNextTrial } from "./shared.js";

const BUDGET = 50;
const NOISE_SD = 0.1;
/** Offset of the noise stream's seed from the run's seed. */
const NOISE_SEED_OFFSET = 100_000;

interface ArmRecord {
  sum: number;
  count: number;
  trueValue: number;
}

async function run(seed: number, mode: "bo" | "sobol"): Promise<SeedResult> {
  const fn = Hartmann6;
  const d = fn.dimension;
  const noise = new Rng(seed + NOISE_SEED_OFFSET);
  const client = newClient(mode, d, seed);
  await client.createExperiment({
    name: `Hartmann6Noisy_${seed}`,
    parameters: boxParameters(fn.bounds),
    objectives: { f: { minimize: true } },
  });
  const arms = new Map<string, ArmRecord>();
  const genMs: number[] = [];
  const regrets = async () => {
    const best = await client.getBestParameters();
    const recommendation = fn.evaluate(pointOf(best!.parameters, d)) - fn.optimalValue;
    let recommended: ArmRecord | null = null;
    let oracle = Number.POSITIVE_INFINITY;
    for (const arm of arms.values()) {
      if (recommended === null || arm.sum / arm.count < recommended.sum / recommended.count)
        recommended = arm;
      oracle = Math.min(oracle, arm.trueValue);
    }
    return {
      recommendation,
      observedBest: recommended!.trueValue - fn.optimalValue,
      oracle: oracle - fn.optimalValue,
    };
  };
  let half = { recommendation: Number.NaN, observedBest: Number.NaN, oracle: Number.NaN };
  for (let i = 0; i < BUDGET; i++) {
    const { trialIndex, parameters } = await timedNextTrial(client, genMs);
    const x = pointOf(parameters, d);
    const trueValue = fn.evaluate(x);
    const y = trueValue + NOISE_SD * noise.normal();
    await client.completeTrial(trialIndex, { f: [y, null] });
    const key = JSON.stringify(x);
    const arm = arms.get(key) ?? { sum: 0, count: 0, trueValue };
    arm.sum += y;
    arm.count++;
    arms.set(key, arm);
    if (i === BUDGET / 2 - 1) half = await regrets();
  }
  const final = await regrets();
  return {
    seed,
    finalLog10Regret: log10Regret(final.recommendation),
    halfLog10Regret: log10Regret(half.recommendation),
    genMs,
    extra: {
      oracleLog10Regret: log10Regret(final.oracle),
      oracleHalfLog10Regret: log10Regret(half.oracle),
      recommendationRegret: final.recommendation,
      observedBestRegret: final.observedBest,
      observedBestLog10Regret: log10Regret(final.observedBest),
      oracleRegret: final.oracle,
      distinctArms: arms.size,
      inGlobalBasin: final.recommendation < HARTMANN6_BASIN_REGRET ? 1 : 0,
    },
  };
}

export const hartmann6Noisy: BenchProblem = {
  key: "hartmann6-noisy",
  label: `Hartmann6, noise sd ${NOISE_SD} (${BUDGET})`,
  regretDefinition:
    "recommendation regret: true noise-free value of the evaluated arm with the best observed mean − f* " +
    `(f* = −3.32237); observations f + N(0, ${NOISE_SD}²) reported with sem null (unknown); ` +
    "extra.oracleRegret = best true value among evaluated arms − f*",
  run,
};
