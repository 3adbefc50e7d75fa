/** Problems of the suite built from a test function on a box, parameters x1..xd. */
import type { TestFunction } from "../../../src/index.js";
import { boxParameters, pointOf } from "../../bo/shared.js";
import type { ProblemFamily, SuiteProblem } from "../problem.js";

export interface BoxProblemOptions {
  key: string;
  family: ProblemFamily;
  budget: number;
  basinRegret?: number;
  /** Why `basinRegret` separates the global basin, for the regret definition. */
  basinNote?: string;
}

/** A noise-free problem: the function's value reported as `[value, 0]`, regret = best observed − f*. */
export function boxProblem(fn: TestFunction, options: BoxProblemOptions): SuiteProblem {
  const { key, family, budget, basinRegret, basinNote } = options;
  const d = fn.dimension;
  return {
    key,
    label: `${fn.name} ${d}d (${budget})`,
    family,
    dimension: d,
    budget,
    parameters: boxParameters(fn.bounds),
    optimalValue: fn.optimalValue,
    optimumOnBound: optimumOnBound(fn),
    ...(basinRegret === undefined ? {} : { basinRegret }),
    noisy: false,
    regretDefinition:
      `best observed value − f* (f* = ${fn.optimalValue}); values reported noise-free [value, 0]` +
      (basinNote ? `; global basin: final regret < ${basinRegret} (${basinNote})` : ""),
    evaluate(parameters) {
      const value = fn.evaluate(pointOf(parameters, d));
      return { value, feasible: true, report: { f: [value, 0] } };
    },
  };
}

/** Whether the function's known optimizer has a coordinate on a bound of its box. */
export function optimumOnBound(fn: TestFunction): boolean {
  return fn.optimizer.some((v, i) => v === fn.bounds[i]![0] || v === fn.bounds[i]![1]);
}
