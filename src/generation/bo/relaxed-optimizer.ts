import { stackRows } from "../../adapter/metric-datasets.js";
import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { type AcquisitionFunction, toMinimizationObjective } from "../../numerics/acquisition/index.js";
import { type LinearInequalities, multiStartMinimize } from "../../numerics/optim/index.js";
import { finiteOr } from "./grid-scorer.js";

/** A unit-cube point and its acquisition value (larger is better). */
export interface RelaxedOptimum {
  readonly x: Float64Array;
  readonly value: number;
}

/**
 * Stopping rules of each local run: scipy's L-BFGS-B defaults (pgtol 1e-5, factr 1e7 → ftol 1e7·ε),
 * which BoTorch's acquisition optimizer uses. The optimizer's own defaults (1e-6, 1e-10) polish the
 * log-acquisition far beyond what changes the arm, at several extra iterations per start.
 */
const GRADIENT_TOLERANCE = 1e-5;
const RELATIVE_FUNCTION_TOLERANCE = 1e7 * Number.EPSILON;

/**
 * Acquisition evaluations per start. A run usually converges in 10-40; where the acquisition is flat
 * at the scale of rounding (late steps of a nearly noiseless loop with inferred noise) its line searches
 * probe up to 20 times per iteration and one run took up to 280 evaluations, for digits that do not
 * move the arm.
 */
const MAX_EVALUATIONS_PER_START = 100;

/** What {@link optimizeRelaxation} needs. */
export interface RelaxationOptions {
  readonly acquisition: AcquisitionFunction;
  readonly encoding: SearchSpaceEncoding;
  /** L-BFGS-B iterations per start. */
  readonly maxIterations: number;
}

/**
 * Multi-start bounded L-BFGS-B over the whole unit cube (INT and choice columns relaxed to continuous
 * coordinates), under the encoding's linear constraints, from the k rows of `starts` (k×D).
 * @returns the local optima that satisfy the linear constraints, best first.
 */
export function optimizeRelaxation(
  options: RelaxationOptions,
  starts: Float64Array,
  k: number,
): RelaxedOptimum[] {
  const { acquisition, encoding } = options;
  const linear = linearInequalities(encoding);
  const result = multiStartMinimize(toMinimizationObjective(acquisition), starts, k, encoding.dimension, {
    lower: 0,
    upper: 1,
    maxIterations: options.maxIterations,
    gradientTolerance: GRADIENT_TOLERANCE,
    relativeFunctionTolerance: RELATIVE_FUNCTION_TOLERANCE,
    maxEvaluations: MAX_EVALUATIONS_PER_START,
    ...(linear ? { linearInequalities: linear } : {}),
  });
  return result.results
    .filter((r) => encoding.satisfiesLinearConstraints(r.x, 1e-7))
    .map((r) => ({ x: Float64Array.from(r.x), value: finiteOr(-r.f) }));
}

/** The encoding's linear constraints as A x ≤ b, or null when there is none. */
function linearInequalities(encoding: SearchSpaceEncoding): LinearInequalities | null {
  const constraints = encoding.linearConstraints;
  if (constraints.length === 0) return null;
  const D = encoding.dimension;
  const A = stackRows(
    constraints.map((c) => c.coefficients),
    D,
  );
  return { A, b: Float64Array.from(constraints, (c) => c.bound) };
}
