/**
 * Exact hypervolume of a set of outcome vectors with respect to a reference point (maximization): the
 * volume of the region dominated by the set and dominating the reference point.
 */
import { NumericalError } from "../../errors.js";
import { checkMatrix } from "./non-dominated.js";

/**
 * The hypervolume of the rows of Y (n×m, row-major) with respect to `referencePoint` (length m), under
 * maximization: the Lebesgue measure of ∪ᵢ [r, yᵢ], where rows not strictly better than r in every
 * objective contribute nothing. Exact (no sampling); dominated rows may be included.
 *
 * Algorithm: m = 1 the best value; m = 2 a sort and a sweep, O(n log n); m ≥ 3 slicing along the last
 * objective (HSO, While et al. 2006): between consecutive values of that objective, the cross-section is
 * the (m−1)-dimensional hypervolume of the rows above the slice, computed recursively on their
 * non-dominated projections. O(n^(m−1) log n) in the worst case: fine for the 2–4 objectives and the
 * hundreds of points of a Bayesian optimization, not meant for many objectives.
 *
 * @throws NumericalError when Y is not n×m, a value or a reference coordinate is not finite, or the
 *   reference point does not have m coordinates.
 * @example hypervolume(Float64Array.of(1, 2, 2, 1), 2, 2, [0, 0]) // 3
 */
export function hypervolume(
  Y: Float64Array,
  n: number,
  m: number,
  referencePoint: ArrayLike<number>,
): number {
  checkMatrix(Y, n, m, "hypervolume");
  if (referencePoint.length !== m) {
    throw new NumericalError(
      `hypervolume: the reference point needs ${m} coordinates, got ${referencePoint.length}`,
    );
  }
  for (let k = 0; k < m; k++) {
    if (!Number.isFinite(referencePoint[k]!)) {
      throw new NumericalError(
        `hypervolume: reference coordinate ${k} is ${referencePoint[k]}; it must be finite`,
      );
    }
  }
  // Shifted so that the reference point is the origin and every kept row is strictly positive.
  const points: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const p = new Float64Array(m);
    let better = true;
    for (let k = 0; k < m && better; k++) {
      p[k] = Y[i * m + k]! - referencePoint[k]!;
      better = p[k]! > 0;
    }
    if (better) points.push(p);
  }
  return volume(points, m);
}

/** Hypervolume of positive points w.r.t. the origin, in their first `dim` coordinates. */
function volume(points: readonly Float64Array[], dim: number): number {
  if (points.length === 0) return 0;
  if (dim === 1) {
    let best = 0;
    for (const p of points) best = Math.max(best, p[0]!);
    return best;
  }
  if (dim === 2) return area(points);
  const last = dim - 1;
  const sorted = [...points].sort((a, b) => b[last]! - a[last]!);
  // The rows above the current slice whose projection is not dominated by another one's: the others
  // add nothing to the cross-section.
  const active: Float64Array[] = [];
  let total = 0;
  let section = 0;
  for (let j = 0; j < sorted.length; j++) {
    const p = sorted[j]!;
    if (!weaklyDominatedBy(p, active, last)) {
      for (let a = active.length - 1; a >= 0; a--) {
        if (weaklyDominates(p, active[a]!, last)) active.splice(a, 1);
      }
      active.push(p);
      section = volume(active, last);
    }
    const next = j + 1 < sorted.length ? sorted[j + 1]![last]! : 0;
    total += section * (p[last]! - next);
  }
  return total;
}

/** The 2-D case: sweep by decreasing first coordinate, the height being the best second one so far. */
function area(points: readonly Float64Array[]): number {
  const sorted = [...points].sort((a, b) => b[0]! - a[0]!);
  let total = 0;
  let height = 0;
  for (let j = 0; j < sorted.length; j++) {
    height = Math.max(height, sorted[j]![1]!);
    const next = j + 1 < sorted.length ? sorted[j + 1]![0]! : 0;
    total += height * (sorted[j]![0]! - next);
  }
  return total;
}

function weaklyDominates(a: Float64Array, b: Float64Array, dim: number): boolean {
  for (let k = 0; k < dim; k++) if (a[k]! < b[k]!) return false;
  return true;
}

function weaklyDominatedBy(p: Float64Array, set: readonly Float64Array[], dim: number): boolean {
  for (const a of set) if (weaklyDominates(a, p, dim)) return true;
  return false;
}
