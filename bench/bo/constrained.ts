/**
 * Gramacy et al. (2016)'s constrained toy problem, noise-free, 30 evaluations (Sobol for 5, then
 * BoTorch, as in `branin`): minimize f(x) = x1 + x2 on [0, 1]² subject to
 *   c1(x) = 1.5 − x1 − 2·x2 − 0.5·sin(2π(x1² − 2·x2)) ≤ 0,
 *   c2(x) = x1² + x2² − 1.5 ≤ 0,
 * reported through the Client as the objective `f` and outcome constraints `c1 <= 0`, `c2 <= 0`, all
 * three values noise-free (`[value, 0]`). About 46% of the box is feasible.
 *
 * f* = 0.5997880520 at x ≈ (0.1951227, 0.4046654), on the boundary c1 = 0; computed once by a
 * 4001 × 4001 grid, then a golden-section search over x1 of x1 + (the smallest feasible x2, by
 * bisection on c1). Local solutions: (0, 0.75) with f = 0.75 and (0.7197, 0.1411) with f ≈ 0.8609.
 *
 * Regret = best feasible observed f − f*. Until a feasible point was observed the regret is the
 * constant NO_FEASIBLE_REGRET = (max of f over the box, 2) + 1 − f* ≈ 2.4002, worse than any feasible
 * point's. `extra.inGlobalBasin` is 1 when the final regret is below 0.05 (the local solutions' regrets
 * are 0.150 and 0.261).
 */
import type { BenchProblem, SeedResult } from "./problem.js";
import { boxParameters, log10Regret, newClient, pointOf, timedNextTrial } from "./shared.js";

const BUDGET = 30;
const F_STAR = 0.599788052;
const NO_FEASIBLE_REGRET = 2 + 1 - F_STAR;
const BASIN_REGRET = 0.05;

const c1 = (x1: number, x2: number) => 1.5 - x1 - 2 * x2 - 0.5 * Math.sin(2 * Math.PI * (x1 * x1 - 2 * x2));
const c2 = (x1: number, x2: number) => x1 * x1 + x2 * x2 - 1.5;

async function run(seed: number, mode: "bo" | "sobol"): Promise<SeedResult> {
  const client = newClient(mode, 2, seed);
  await client.createExperiment({
    name: `Gramacy_${seed}`,
    parameters: boxParameters([
      [0, 1],
      [0, 1],
    ]),
    objectives: { f: { minimize: true } },
    outcomeConstraints: ["c1 <= 0", "c2 <= 0"],
  });
  const genMs: number[] = [];
  let bestFeasible = Number.POSITIVE_INFINITY;
  let feasibleCount = 0;
  let firstFeasible = -1;
  const regret = () => (feasibleCount > 0 ? bestFeasible - F_STAR : NO_FEASIBLE_REGRET);
  let half = Number.NaN;
  for (let i = 0; i < BUDGET; i++) {
    const { trialIndex, parameters } = await timedNextTrial(client, genMs);
    const [x1, x2] = pointOf(parameters, 2) as [number, number];
    const f = x1 + x2;
    const g1 = c1(x1, x2);
    const g2 = c2(x1, x2);
    await client.completeTrial(trialIndex, { f: [f, 0], c1: [g1, 0], c2: [g2, 0] });
    if (g1 <= 0 && g2 <= 0) {
      feasibleCount++;
      if (firstFeasible < 0) firstFeasible = i;
      bestFeasible = Math.min(bestFeasible, f);
    }
    if (i === BUDGET / 2 - 1) half = regret();
  }
  const final = regret();
  return {
    seed,
    finalLog10Regret: log10Regret(final),
    halfLog10Regret: log10Regret(half),
    genMs,
    extra: {
      finalRegret: final,
      feasibleShare: feasibleCount / BUDGET,
      firstFeasibleTrial: firstFeasible,
      inGlobalBasin: final < BASIN_REGRET ? 1 : 0,
    },
  };
}

export const constrained: BenchProblem = {
  key: "constrained",
  label: `Gramacy constrained (${BUDGET})`,
  regretDefinition:
    "best feasible observed f − f* (f = x1 + x2 on [0,1]², c1, c2 ≤ 0 as outcome constraints; f* = 0.5997880520); " +
    `${NO_FEASIBLE_REGRET.toFixed(4)} (= 2 + 1 − f*) while no feasible point was observed; all values noise-free`,
  run,
};
