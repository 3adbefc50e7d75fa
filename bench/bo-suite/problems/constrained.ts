/**
 * Problems with outcome constraints, reported as metrics beside the objective. Regret = best FEASIBLE
 * observed value − f*; a run that observed nothing feasible scores worstValue − f*.
 */
import type { Parameterization } from "../../../src/index.js";
import { boxParameters, pointOf } from "../../bo/shared.js";
import type { SuiteProblem } from "../problem.js";
import { Hartmann6Exact } from "./smooth.js";

/**
 * Hartmann6 subject to ||x||₁ ≤ 1 (BoTorch's classic constrained example uses this L1 constraint),
 * told as the metric `l1` with the constraint `l1 <= 1`. The minimum −1.5150271070180503 lies on the
 * face x1 = x2 = x3 = 0 of the box and on the constraint (x4..x6 = 0.19730, 0.25130, 0.55140; computed
 * by SLSQP from 3,000 starts, then on that face by Nelder-Mead; the KKT conditions hold). The next-best
 * local solution is −0.2296.
 */
export const hartmann6L1: SuiteProblem = {
  key: "hartmann6-l1",
  label: "Hartmann6 s.t. ‖x‖₁≤1 6d (60)",
  family: "constrained",
  dimension: 6,
  budget: 60,
  parameters: boxParameters(Hartmann6Exact.bounds),
  outcomeConstraints: ["l1 <= 1"],
  optimalValue: -1.5150271070180503,
  // Hartmann6 is a negated sum of positive wells, so its supremum on the box is 0.
  worstValue: 0,
  optimumOnBound: true,
  basinRegret: 0.5,
  noisy: false,
  regretDefinition:
    "best feasible observed value − f* (f* = −1.5150271070180503 on the face x1 = x2 = x3 = 0), " +
    "worst 0 − f* when nothing feasible was observed; f and l1 = Σx reported noise-free; " +
    "global basin: final regret < 0.5 (the next local solution's regret is 1.29)",
  evaluate(parameters: Parameterization) {
    const x = pointOf(parameters, 6);
    const value = Hartmann6Exact.evaluate(x);
    const l1 = x.reduce((a, b) => a + b, 0);
    return { value, feasible: l1 <= 1, report: { f: [value, 0], l1: [l1, 0] } };
  },
};

/** Gramacy et al. (2016)'s constraints; see bench/bo/constrained.ts for the optimum's derivation. */
const c1 = (x1: number, x2: number) => 1.5 - x1 - 2 * x2 - 0.5 * Math.sin(2 * Math.PI * (x1 * x1 - 2 * x2));
const c2 = (x1: number, x2: number) => x1 * x1 + x2 * x2 - 1.5;

/** Gramacy's toy problem: minimize x1 + x2 on [0, 1]² s.t. c1 ≤ 0, c2 ≤ 0 (the `constrained` problem of `bench -- bo`). */
export const gramacy: SuiteProblem = {
  key: "gramacy",
  label: "Gramacy constrained 2d (30)",
  family: "constrained",
  dimension: 2,
  budget: 30,
  parameters: boxParameters([
    [0, 1],
    [0, 1],
  ]),
  outcomeConstraints: ["c1 <= 0", "c2 <= 0"],
  optimalValue: 0.599788052,
  worstValue: 2,
  optimumOnBound: false,
  basinRegret: 0.05,
  noisy: false,
  regretDefinition:
    "best feasible observed f − f* (f* = 0.599788052), worst 2 − f* when nothing feasible was observed; " +
    "f, c1, c2 reported noise-free; global basin: final regret < 0.05 (local solutions 0.150 and 0.261)",
  evaluate(parameters: Parameterization) {
    const [x1, x2] = pointOf(parameters, 2) as [number, number];
    const g1 = c1(x1, x2);
    const g2 = c2(x1, x2);
    return {
      value: x1 + x2,
      feasible: g1 <= 0 && g2 <= 0,
      report: { f: [x1 + x2, 0], c1: [g1, 0], c2: [g2, 0] },
    };
  },
};
