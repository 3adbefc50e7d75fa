/**
 * Branin, noise-free, 30 evaluations with up to 3 trials in flight (asynchronous parallelism 3).
 *
 * Simulated time: each trial gets a duration drawn from an exponential distribution (mean 1) from a
 * seeded Rng when it is asked for. The loop asks until 3 trials are running (or the budget is handed
 * out), then completes the running trial that finishes first, and repeats. The Client keeps the running
 * trials in its experiment, so the generator sees them as pending arms. Regret = best value observed
 * among completed trials − f*, after all 30 completed, and after 15 completed for the half budget.
 * Strategy as in `branin`: Sobol for 5 trials, then BoTorch.
 */
import { Branin, Rng } from "../../src/index.js";
import type { BenchProblem, SeedResult } from "./problem.js";
import { boxParameters, log10Regret, newClient, pointOf, timedNextTrial } from "./shared.js";

const BUDGET = 30;
const MAX_IN_FLIGHT = 3;
/** Offset of the duration stream's seed from the run's seed. */
const DURATION_SEED_OFFSET = 200_000;

interface Running {
  trialIndex: number;
  x: number[];
  finishesAt: number;
}

async function run(seed: number, mode: "bo" | "sobol"): Promise<SeedResult> {
  const fn = Branin;
  const d = fn.dimension;
  const durations = new Rng(seed + DURATION_SEED_OFFSET);
  const client = newClient(mode, d, seed);
  await client.createExperiment({
    name: `BraninAsync3_${seed}`,
    parameters: boxParameters(fn.bounds),
    objectives: { f: { minimize: true } },
  });
  const genMs: number[] = [];
  const running: Running[] = [];
  let now = 0;
  let asked = 0;
  let completed = 0;
  let best = Number.POSITIVE_INFINITY;
  let bestAtHalf = Number.NaN;
  let pendingAtBoAsks = 0;
  while (completed < BUDGET) {
    while (running.length < MAX_IN_FLIGHT && asked < BUDGET) {
      const before = genMs.length;
      const { trialIndex, parameters } = await timedNextTrial(client, genMs);
      if (genMs.length > before) pendingAtBoAsks += running.length;
      const duration = -Math.log(1 - durations.next());
      running.push({ trialIndex, x: pointOf(parameters, d), finishesAt: now + duration });
      asked++;
    }
    let first = 0;
    for (let i = 1; i < running.length; i++)
      if (running[i]!.finishesAt < running[first]!.finishesAt) first = i;
    const done = running.splice(first, 1)[0]!;
    now = done.finishesAt;
    const y = fn.evaluate(done.x);
    await client.completeTrial(done.trialIndex, { f: [y, 0] });
    completed++;
    best = Math.min(best, y);
    if (completed === BUDGET / 2) bestAtHalf = best;
  }
  return {
    seed,
    finalLog10Regret: log10Regret(best - fn.optimalValue),
    halfLog10Regret: log10Regret(bestAtHalf - fn.optimalValue),
    genMs,
    extra: {
      simulatedTime: now,
      meanPendingAtBoAsk: genMs.length ? pendingAtBoAsks / genMs.length : 0,
    },
  };
}

export const braninAsync3: BenchProblem = {
  key: "branin-async3",
  label: `Branin, ${MAX_IN_FLIGHT} in flight (${BUDGET})`,
  regretDefinition:
    "best observed value among completed trials − f* (f* = 0.397887); up to 3 trials running at once, " +
    "completed in order of seeded exponential durations (mean 1), values reported noise-free [value, 0]",
  run,
};
