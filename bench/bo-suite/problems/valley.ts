/**
 * Valley-shaped test functions of the suite, whose values span several decades over the box:
 * Rosenbrock, Goldstein-Price and Dixon-Price. Their optima are exact.
 */
import type { TestFunction } from "../../../src/index.js";

/** Rosenbrock on [−5, 10]^d, minimum 0 at (1, …, 1); in 4 d a local minimum of 3.70 sits near (−0.78, 0.61, 0.38, 0.15). */
export function rosenbrock(dimension: number): TestFunction {
  return {
    name: `Rosenbrock${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-5, 10] as const),
    optimalValue: 0,
    optimizer: Array.from({ length: dimension }, () => 1),
    evaluate(x) {
      let total = 0;
      for (let i = 0; i + 1 < dimension; i++) total += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return total;
    },
  };
}

/** Goldstein-Price on [−2, 2]²: minimum 3 at (0, −1), local minima 30, 84 and 840; values up to 1e6. */
export const GoldsteinPrice: TestFunction = {
  name: "GoldsteinPrice",
  dimension: 2,
  bounds: [
    [-2, 2],
    [-2, 2],
  ],
  optimalValue: 3,
  optimizer: [0, -1],
  evaluate(x) {
    const [x1, x2] = [x[0]!, x[1]!];
    const a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1 * x1 - 14 * x2 + 6 * x1 * x2 + 3 * x2 * x2);
    const b =
      30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1 * x1 + 48 * x2 - 36 * x1 * x2 + 27 * x2 * x2);
    return a * b;
  },
};

/** Dixon-Price on [−10, 10]^d: minimum 0 at xᵢ = 2^(−(2^i − 2)/2^i) (and its sign flips for i ≥ 2). */
export function dixonPrice(dimension: number): TestFunction {
  return {
    name: `DixonPrice${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-10, 10] as const),
    optimalValue: 0,
    optimizer: Array.from({ length: dimension }, (_, i) => 2 ** (-(2 ** (i + 1) - 2) / 2 ** (i + 1))),
    evaluate(x) {
      let total = (x[0]! - 1) ** 2;
      for (let i = 1; i < dimension; i++) total += (i + 1) * (2 * x[i]! ** 2 - x[i - 1]!) ** 2;
      return total;
    },
  };
}
