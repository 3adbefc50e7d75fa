/**
 * Problems for local basins and edge suggestions of the BoTorch generator:
 * - Hartmann3 and the six-hump camel, low-dimensional and multimodal: some seeds can refine a local
 *   optimum to the end of the budget (`extra.inGlobalBasin`);
 * - Branin and Hartmann6 with bare-number results (the model then infers a noise variance), where
 *   suggestions piled up on the box's bounds (`extra.edgeShare`, `extra.nearEdgeShare`);
 * - two problems whose optimum lies on the boundary (a corner, and a face with interior coordinates), so
 *   that a remedy against edge suggestions can be seen not to lose them.
 */
import { Branin, Hartmann6, type TestFunction } from "../../src/index.js";
import { Hartmann3, SixHumpCamel } from "../bo-suite/problems/smooth.js";
import { HARTMANN6_BASIN_REGRET } from "./hartmann6.js";
import type { BenchProblem, SeedResult } from "./problem.js";
import { type Reporting, runSequentialNoiseFree } from "./shared.js";

/**
 * A bowl whose minimum lies outside [0, 1]³ beyond the corner (1, 1, 1), with ripples that vanish at the
 * corner: the optimum is that corner, f* = 3·0.2² = 0.12.
 */
function cornerValue(x: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < 3; j++) sum += (1.2 - x[j]!) ** 2 + 0.05 * Math.sin(3 * Math.PI * x[j]!) ** 2;
  return sum;
}
export const Corner3: TestFunction = {
  name: "Corner3",
  dimension: 3,
  bounds: [
    [0, 1],
    [0, 1],
    [0, 1],
  ],
  optimalValue: cornerValue([1, 1, 1]),
  optimizer: [1, 1, 1],
  evaluate: cornerValue,
};

/**
 * An optimum on a face in 4 dimensions: x1 wants to exceed its upper bound, x2 to go below its lower
 * bound, x3 and x4 have interior optima (0.3, 0.7); f* = 0.3² + 0.2² = 0.13 at (1, 0, 0.3, 0.7).
 */
function faceValue(x: ArrayLike<number>): number {
  return (1.3 - x[0]!) ** 2 + (x[1]! + 0.2) ** 2 + 2 * (x[2]! - 0.3) ** 2 + 2 * (x[3]! - 0.7) ** 2;
}
export const Face4: TestFunction = {
  name: "Face4",
  dimension: 4,
  bounds: [
    [0, 1],
    [0, 1],
    [0, 1],
    [0, 1],
  ],
  optimalValue: 0.13,
  optimizer: [1, 0, 0.3, 0.7],
  evaluate: faceValue,
};

function noiseFreeWithBasin(
  key: string,
  fn: TestFunction,
  budget: number,
  basinRegret: number,
  reporting: Reporting = "noiseFree",
): BenchProblem {
  return {
    key,
    label: `${fn.name}${reporting === "bare" ? " bare" : ""} (${budget})`,
    regretDefinition:
      `best observed value − f* (f* = ${fn.optimalValue.toPrecision(6)}); ask/tell one trial at a time, values ` +
      (reporting === "bare"
        ? "reported as bare numbers (noise inferred)"
        : "reported noise-free [value, 0]") +
      `; inGlobalBasin when the final regret is below ${basinRegret}`,
    async run(seed, mode): Promise<SeedResult> {
      const result = await runSequentialNoiseFree(fn, budget, seed, mode, reporting);
      const inGlobalBasin = result.finalLog10Regret < Math.log10(basinRegret) ? 1 : 0;
      return { ...result, extra: { ...result.extra, inGlobalBasin } };
    },
  };
}

export const hartmann3 = noiseFreeWithBasin("hartmann3", Hartmann3, 30, 0.05);
export const camel = noiseFreeWithBasin("camel", SixHumpCamel, 25, 0.05);
export const branin_bare = noiseFreeWithBasin("branin-bare", Branin, 30, 0.05, "bare");
export const hartmann6_bare = noiseFreeWithBasin(
  "hartmann6-bare",
  Hartmann6,
  50,
  HARTMANN6_BASIN_REGRET,
  "bare",
);
export const corner3 = noiseFreeWithBasin("corner3", Corner3, 20, 0.01);
export const face4 = noiseFreeWithBasin("face4", Face4, 25, 0.01);
