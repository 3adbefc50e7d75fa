/**
 * Smooth multimodal test functions of the suite, with optima computed to about 1e-12 (L-BFGS-B then
 * Nelder-Mead polishing in double precision; the literature's rounded values agree):
 * Branin, Hartmann3, Hartmann6, Shekel-10 and the six-hump camel.
 */
import { branin, hartmann6, type TestFunction } from "../../../src/index.js";

/** Branin with its exact minimum 5/(4π) (the library's `Branin` quotes it rounded to 0.397887). */
export const BraninExact: TestFunction = {
  name: "Branin",
  dimension: 2,
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  optimalValue: 5 / (4 * Math.PI),
  optimizer: [Math.PI, 2.275],
  evaluate: (x) => branin(x[0]!, x[1]!),
};

const H3_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const H3_P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((row) => row.map((v) => v * 1e-4));

/** Hartmann3 on [0, 1]³: four Gaussian wells; the next-best local minimum is −3.68227 (regret 0.18). */
export const Hartmann3: TestFunction = {
  name: "Hartmann3",
  dimension: 3,
  bounds: [
    [0, 1],
    [0, 1],
    [0, 1],
  ],
  optimalValue: -3.862779787332663,
  optimizer: [0.1145888891151495, 0.5556488946250067, 0.8525469859664419],
  evaluate(x) {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 3; j++) inner += H3_A[i]![j]! * (x[j]! - H3_P[i]![j]!) ** 2;
      total += H3_ALPHA[i]! * Math.exp(-inner);
    }
    return -total;
  },
};

/**
 * Hartmann6 on [0, 1]⁶ with its minimum to 1e-12 (the library's `Hartmann6` quotes −3.32237, 2e-6 below
 * the true minimum, which would floor every regret at 2e-6). The next-best local minimum is −3.20316.
 */
export const Hartmann6Exact: TestFunction = {
  name: "Hartmann6",
  dimension: 6,
  bounds: Array.from({ length: 6 }, () => [0, 1] as const),
  optimalValue: -3.322368011415515,
  optimizer: [
    0.20168950695090998, 0.15001069187193894, 0.4768739769189074, 0.2753324302063216, 0.31165161559470017,
    0.6573005344586534,
  ],
  evaluate: hartmann6,
};

const SHEKEL_C = [
  [4, 4, 4, 4],
  [1, 1, 1, 1],
  [8, 8, 8, 8],
  [6, 6, 6, 6],
  [3, 7, 3, 7],
  [2, 9, 2, 9],
  [5, 3, 5, 3],
  [8, 1, 8, 1],
  [6, 2, 6, 2],
  [7, 3.6, 7, 3.6],
];
const SHEKEL_BETA = [1, 2, 2, 4, 4, 6, 3, 7, 5, 5].map((v) => v / 10);

/**
 * Shekel with 10 wells on [0, 10]⁴: a few narrow, deep basins on a flat floor; the next-best local
 * minimum is −5.17565 (regret 5.36).
 */
export const Shekel10: TestFunction = {
  name: "Shekel10",
  dimension: 4,
  bounds: Array.from({ length: 4 }, () => [0, 10] as const),
  optimalValue: -10.53644315348353,
  optimizer: [4.000746866254254, 3.999509480423142, 4.000746870430316, 3.9995094826129427],
  evaluate(x) {
    let total = 0;
    for (let i = 0; i < 10; i++) {
      let r2 = SHEKEL_BETA[i]!;
      for (let j = 0; j < 4; j++) r2 += (x[j]! - SHEKEL_C[i]![j]!) ** 2;
      total += 1 / r2;
    }
    return -total;
  },
};

/** Six-hump camel on [−3, 3] × [−2, 2]: two global minima, local ones at −0.21546 (regret 0.816). */
export const SixHumpCamel: TestFunction = {
  name: "SixHumpCamel",
  dimension: 2,
  bounds: [
    [-3, 3],
    [-2, 2],
  ],
  optimalValue: -1.0316284534898774,
  optimizer: [0.08984201164977734, -0.7126564041106396],
  evaluate(x) {
    const [x1, x2] = [x[0]!, x[1]!];
    return (4 - 2.1 * x1 * x1 + x1 ** 4 / 3) * x1 * x1 + x1 * x2 + (-4 + 4 * x2 * x2) * x2 * x2;
  },
};
