/**
 * Hartmann6, noise-free, 50 evaluations: the reference protocol of /work/shared/BENCHMARKS.md. Runs end
 * either in the global basin or in a local one with regret 0.119; `extra.inGlobalBasin` is 1 when the
 * final regret is below 0.05.
 */
import { Hartmann6 } from "../../src/index.js";
import type { BenchProblem } from "./problem.js";
import { runSequentialNoiseFree } from "./shared.js";

const BUDGET = 50;
/** Final regret below which a run counts as having reached the global basin (the local optimum's is 0.119). */
export const HARTMANN6_BASIN_REGRET = 0.05;

export const hartmann6: BenchProblem = {
  key: "hartmann6",
  label: `Hartmann6 (${BUDGET})`,
  regretDefinition:
    "best observed value − f* (f* = −3.32237); ask/tell one trial at a time, values reported noise-free [value, 0]",
  async run(seed, mode) {
    const result = await runSequentialNoiseFree(Hartmann6, BUDGET, seed, mode);
    const inGlobalBasin = result.finalLog10Regret < Math.log10(HARTMANN6_BASIN_REGRET) ? 1 : 0;
    return { ...result, extra: { ...result.extra, inGlobalBasin } };
  },
};
