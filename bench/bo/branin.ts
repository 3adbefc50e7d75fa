/** Branin, noise-free, 30 evaluations: the reference protocol of /work/shared/BENCHMARKS.md. */
import { Branin } from "../../src/index.js";
import type { BenchProblem } from "./problem.js";
import { runSequentialNoiseFree } from "./shared.js";

const BUDGET = 30;

export const branin: BenchProblem = {
  key: "branin",
  label: `Branin (${BUDGET})`,
  regretDefinition:
    "best observed value − f* (f* = 0.397887); ask/tell one trial at a time, values reported noise-free [value, 0]",
  run: (seed, mode) => runSequentialNoiseFree(Branin, BUDGET, seed, mode),
};
