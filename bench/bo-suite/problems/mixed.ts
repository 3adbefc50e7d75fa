/**
 * A mixed, hyperparameter-like problem: three continuous parameters, an integer, an unordered choice
 * and a log-scale range, with its global optimum known exactly.
 *
 *   f(x, k, kind, lr) = Hartmann3(x permuted or reflected by kind) + OFFSET[kind]
 *                       + 0.1·(k − 3)² + 0.2·(log10 lr + 2.5)²
 *
 * on x ∈ [0, 1]³, k ∈ {1, …, 8}, kind ∈ {a, b, c, d}, lr ∈ [1e-5, 1] (log scale). Each kind moves
 * Hartmann3's wells (a: as is, b and d: coordinates rotated, c: reflected x → 1 − x) and adds a
 * constant, so a model must learn the choice's effect and the continuous landscape together.
 * f* = Hartmann3's minimum −3.862779787332663 at kind b, k = 3, lr = 10^−2.5.
 */
import type { Parameterization } from "../../../src/index.js";
import type { SuiteProblem } from "../problem.js";
import { Hartmann3 } from "./smooth.js";

const KINDS = ["a", "b", "c", "d"] as const;
type Kind = (typeof KINDS)[number];

/** Constant added per kind: b holds the optimum, a is the next best (0.3 worse). */
const OFFSET: Readonly<Record<Kind, number>> = { a: 0.3, b: 0, c: 0.5, d: 0.8 };

/** Hartmann3's argument for a kind: y_j = x[PERMUTATION[kind][j]], reflected for c. */
const PERMUTATION: Readonly<Record<Kind, readonly [number, number, number]>> = {
  a: [0, 1, 2],
  b: [2, 0, 1],
  c: [0, 1, 2],
  d: [1, 2, 0],
};

/** The value of the mixed function at its parameters. */
export function mixedValue(x: readonly number[], k: number, kind: Kind, lr: number): number {
  const perm = PERMUTATION[kind];
  const y = perm.map((j) => (kind === "c" ? 1 - x[j]! : x[j]!));
  return Hartmann3.evaluate(y) + OFFSET[kind] + 0.1 * (k - 3) ** 2 + 0.2 * (Math.log10(lr) + 2.5) ** 2;
}

/** The optimum's parameters: x with x[perm_b[j]] = Hartmann3's optimizer[j]. */
export const MIXED_OPTIMUM = (() => {
  const x = [0, 0, 0];
  PERMUTATION.b.forEach((j, i) => {
    x[j] = Hartmann3.optimizer[i]!;
  });
  return { x1: x[0]!, x2: x[1]!, x3: x[2]!, k: 3, kind: "b", lr: 10 ** -2.5 } as const;
})();

const BUDGET = 60;
/** Right kind and Hartmann3's global well: the next kind costs 0.3, Hartmann3's next well 0.18, k ± 1 only 0.1. */
const BASIN_REGRET = 0.15;

function valueAt(p: Parameterization): number {
  return mixedValue(
    [Number(p.x1), Number(p.x2), Number(p.x3)],
    Number(p.k),
    String(p.kind) as Kind,
    Number(p.lr),
  );
}

export const mixedProblem: SuiteProblem = {
  key: "mixed",
  label: `Mixed H3+int+choice+log 6p (${BUDGET})`,
  family: "mixed",
  dimension: 6,
  budget: BUDGET,
  parameters: [
    { name: "x1", type: "range", bounds: [0, 1] },
    { name: "x2", type: "range", bounds: [0, 1] },
    { name: "x3", type: "range", bounds: [0, 1] },
    { name: "k", type: "range", bounds: [1, 8], valueType: "int" },
    { name: "kind", type: "choice", values: [...KINDS], isOrdered: false },
    { name: "lr", type: "range", bounds: [1e-5, 1], logScale: true },
  ],
  optimalValue: Hartmann3.optimalValue,
  optimumOnBound: false,
  basinRegret: BASIN_REGRET,
  noisy: false,
  regretDefinition:
    `best observed value − f* (f* = ${Hartmann3.optimalValue}); Hartmann3 moved per kind + kind offset ` +
    "+ 0.1(k−3)² + 0.2(log10 lr + 2.5)², values reported noise-free [value, 0]; " +
    `global basin: final regret < ${BASIN_REGRET} (right kind and Hartmann3's global well)`,
  evaluate(parameters) {
    const value = valueAt(parameters);
    return { value, feasible: true, report: { f: [value, 0] } };
  },
};
