import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { NumericalError } from "../../errors.js";
import type { AcquisitionFunction } from "../../numerics/acquisition/index.js";
import {
  type LinearInequalities,
  minimizeBounded,
  type ObjectiveFunction,
} from "../../numerics/optim/index.js";

/** Slack below which a constraint over held-fixed columns only counts as violated. */
const FIXED_ROW_TOLERANCE = 1e-9;

/**
 * Maximizes the acquisition over the `columns` of `x` (the continuous ones) with every other coordinate
 * held at its value in `x`, by bounded L-BFGS-B on the sub-problem in those columns: the encoding's
 * linear constraints become `A_c z ≤ b − A_f x_f` there. Optimizing the sub-problem rather than the
 * full point with equal bounds keeps the quasi-Newton memory free of the fixed directions.
 *
 * @param x length D, on the discrete grid; not modified.
 * @param columns indices of the free coordinates, at least one.
 * @returns the improved point (length D) and its acquisition value, or null when the fixed coordinates
 * alone violate a linear constraint or leave no feasible continuous part.
 */
export function optimizeContinuousColumns(
  acquisition: AcquisitionFunction,
  encoding: SearchSpaceEncoding,
  x: Float64Array,
  columns: readonly number[],
  maxIterations: number,
): { x: Float64Array; value: number } | null {
  const linear = restrictConstraints(encoding, x, columns);
  if (linear === null) return null;
  const full = Float64Array.from(x);
  const fullGradient = new Float64Array(x.length);
  const f: ObjectiveFunction = (z, g) => {
    columns.forEach((j, i) => {
      full[j] = z[i]!;
    });
    const value = acquisition.evaluate(full, fullGradient);
    columns.forEach((j, i) => {
      g[i] = -fullGradient[j]!;
    });
    return -value;
  };
  const z0 = Float64Array.from(columns, (j) => x[j]!);
  try {
    const result = minimizeBounded(f, z0, {
      lower: 0,
      upper: 1,
      maxIterations,
      ...(linear.b.length > 0 ? { linearInequalities: linear } : {}),
    });
    const out = Float64Array.from(x);
    columns.forEach((j, i) => {
      out[j] = result.x[i]!;
    });
    return { x: out, value: -result.f };
  } catch (error) {
    // The discrete levels leave no feasible continuous part: not a failure, just a dead combination.
    if (error instanceof NumericalError) return null;
    throw error;
  }
}

/** The linear constraints in the free columns, or null when a row over fixed columns only fails. */
function restrictConstraints(
  encoding: SearchSpaceEncoding,
  x: Float64Array,
  columns: readonly number[],
): LinearInequalities | null {
  const free = new Set(columns);
  const rows: number[][] = [];
  const bounds: number[] = [];
  for (const c of encoding.linearConstraints) {
    let rhs = c.bound;
    let involvesFree = false;
    for (let j = 0; j < x.length; j++) {
      const a = c.coefficients[j]!;
      if (free.has(j)) involvesFree ||= a !== 0;
      else rhs -= a * x[j]!;
    }
    if (involvesFree) {
      rows.push(columns.map((j) => c.coefficients[j]!));
      bounds.push(rhs);
    } else if (rhs < -FIXED_ROW_TOLERANCE * Math.max(1, Math.abs(c.bound))) {
      return null;
    }
  }
  return { A: Float64Array.from(rows.flat()), b: Float64Array.from(bounds) };
}
