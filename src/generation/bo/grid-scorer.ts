import { armSignature } from "../../core/arm.js";
import type { AcquisitionFunction } from "../../numerics/acquisition/index.js";
import type { DiscreteGrid } from "./discrete-grid.js";

/**
 * How usable a grid point is, best first: a new arm of the search space, an arm already evaluated or
 * pending (`isTaken`), or a point that violates a parameter constraint.
 */
export const Tier = { USABLE: 0, TAKEN: 1, INFEASIBLE: 2 } as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/** A grid point with its tier and value: the acquisition, or minus the constraint violation. */
export interface ScoredPoint {
  readonly x: Float64Array;
  readonly tier: Tier;
  /** Acquisition value (−Infinity when not finite) for USABLE and TAKEN; −violation for INFEASIBLE. */
  readonly value: number;
}

/** Options of {@link GridScorer}. */
export interface GridScorerOptions {
  acquisition: AcquisitionFunction;
  grid: DiscreteGrid;
  /** Whether an arm signature is already evaluated or pending; default: nothing is taken. */
  isTaken?: (signature: string) => boolean;
}

/**
 * Scores grid points for the discrete search. Ranking by tier first lets the search walk off a taken or
 * infeasible point to a usable neighbour even when that neighbour's acquisition is lower, so a local
 * optimum is always an arm the generator can propose when one is within reach.
 */
export class GridScorer {
  readonly acquisition: AcquisitionFunction;
  readonly grid: DiscreteGrid;
  private readonly isTaken: (signature: string) => boolean;

  constructor(options: GridScorerOptions) {
    this.acquisition = options.acquisition;
    this.grid = options.grid;
    this.isTaken = options.isTaken ?? (() => false);
  }

  /** Scores `x`, which must be a grid point (see {@link DiscreteGrid.snap}); `x` is kept, not copied. */
  score(x: Float64Array): ScoredPoint {
    const { encoding } = this.grid;
    const parameters = encoding.decode(x);
    if (!encoding.searchSpace.satisfiesConstraints(parameters)) {
      // A nonlinear (log-scale) constraint has no violation measure in the cube: count it as 1.
      const linear = linearViolation(this.grid, x);
      return { x, tier: Tier.INFEASIBLE, value: -(linear > 0 ? linear : 1) };
    }
    const value = finiteOr(this.acquisition.evaluate(x));
    return { x, tier: this.isTaken(armSignature(parameters)) ? Tier.TAKEN : Tier.USABLE, value };
  }
}

/** Whether `a` ranks strictly before `b`: a better tier, or the same tier and a larger value. */
export function isBetter(a: ScoredPoint, b: ScoredPoint): boolean {
  return a.tier < b.tier || (a.tier === b.tier && a.value > b.value);
}

/** Comparator for sorting best first (stable sorts keep ties in their input order). */
export function compareScored(a: ScoredPoint, b: ScoredPoint): number {
  return a.tier - b.tier || b.value - a.value || 0;
}

/** The value, or −Infinity when it is not finite (so that it sorts last). */
export function finiteOr(value: number): number {
  return Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
}

function linearViolation(grid: DiscreteGrid, x: Float64Array): number {
  let total = 0;
  for (const c of grid.encoding.linearConstraints) {
    let lhs = 0;
    for (let j = 0; j < x.length; j++) lhs += c.coefficients[j]! * x[j]!;
    total += Math.max(0, lhs - c.bound);
  }
  return total;
}
