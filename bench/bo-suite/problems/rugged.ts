/**
 * Test functions of the suite with many shallow local minima or plateaus: Ackley, Levy,
 * Styblinski-Tang and Michalewicz.
 */
import type { TestFunction } from "../../../src/index.js";

/** Ackley on [−32.768, 32.768]^d: minimum 0 at the origin; in 5 d the nearest local minima are 1.646. */
export function ackley(dimension: number): TestFunction {
  return {
    name: `Ackley${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-32.768, 32.768] as const),
    optimalValue: 0,
    optimizer: Array.from({ length: dimension }, () => 0),
    evaluate(x) {
      let squares = 0;
      let cosines = 0;
      for (let i = 0; i < dimension; i++) {
        squares += x[i]! ** 2;
        cosines += Math.cos(2 * Math.PI * x[i]!);
      }
      return (
        -20 * Math.exp(-0.2 * Math.sqrt(squares / dimension)) - Math.exp(cosines / dimension) + 20 + Math.E
      );
    },
  };
}

/** Levy on [−10, 10]^d: minimum 0 at (1, …, 1); the next-best local minima are 0.0895 (one coordinate at −0.093). */
export function levy(dimension: number): TestFunction {
  return {
    name: `Levy${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-10, 10] as const),
    optimalValue: 0,
    optimizer: Array.from({ length: dimension }, () => 1),
    evaluate(x) {
      const w = (i: number) => 1 + (x[i]! - 1) / 4;
      const last = w(dimension - 1);
      let total = Math.sin(Math.PI * w(0)) ** 2 + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
      for (let i = 0; i + 1 < dimension; i++)
        total += (w(i) - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w(i) + 1) ** 2);
      return total;
    },
  };
}

/** Per-coordinate minimum of Styblinski-Tang, at x = −2.903534. */
const STYBLINSKI_TANG_MIN = -39.16616570377141;

/**
 * Styblinski-Tang on [−5, 5]^d: minimum −39.16617·d at xᵢ = −2.903534; each coordinate has a second
 * well at 2.7468 worth 14.137 more.
 */
export function styblinskiTang(dimension: number): TestFunction {
  return {
    name: `StyblinskiTang${dimension}`,
    dimension,
    bounds: Array.from({ length: dimension }, () => [-5, 5] as const),
    optimalValue: STYBLINSKI_TANG_MIN * dimension,
    optimizer: Array.from({ length: dimension }, () => -2.903534027771177),
    evaluate(x) {
      let total = 0;
      for (let i = 0; i < dimension; i++) total += x[i]! ** 4 - 16 * x[i]! ** 2 + 5 * x[i]!;
      return total / 2;
    },
  };
}

/**
 * Michalewicz (m = 10) on [0, π]⁵: flat almost everywhere, with narrow valleys; minimum −4.687658 at the
 * given point. The function is a sum over coordinates, so the next-best local minimum moves the fourth
 * coordinate to its second valley (1.1138), 0.0418 worse.
 */
export const Michalewicz5: TestFunction = {
  name: "Michalewicz5",
  dimension: 5,
  bounds: Array.from({ length: 5 }, () => [0, Math.PI] as const),
  optimalValue: -4.687658179088149,
  optimizer: [2.20290551577667, 1.5707963247492533, 1.28499156962677, 1.9230584715591441, 1.7204697734016792],
  evaluate(x) {
    let total = 0;
    for (let i = 0; i < 5; i++) total += Math.sin(x[i]!) * Math.sin(((i + 1) * x[i]! ** 2) / Math.PI) ** 20;
    return -total;
  },
};
