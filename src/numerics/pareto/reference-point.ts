/** The reference point of a hypervolume when the user gave no objective thresholds. */
import { NumericalError } from "../../errors.js";
import { checkMatrix } from "./non-dominated.js";

/** Smallest range used per objective, so a front that is flat in one objective still gets a margin. */
const MIN_RANGE = 1e-7;

/** Options of {@link inferReferencePoint}. */
export interface InferReferencePointOptions {
  /** Fraction of the front's range subtracted from the nadir; default 0.1 (Ishibuchi et al. 2011). */
  scale?: number;
  /**
   * Coordinates that are known (objective thresholds, maximization scale): used as they are, the others
   * are inferred. Length m, null where unknown.
   */
  known?: readonly (number | null)[];
}

/**
 * A reference point from a Pareto front (maximization), Ax's heuristic for missing objective
 * thresholds: nadir − scale·range per objective, where the nadir is the front's worst value and the
 * range its best minus its worst (at least 1e-7). With a single point, the range is |y| (at least 1e-7),
 * so the point still dominates the reference point. The front itself is not filtered here: pass the
 * non-dominated (and feasible) rows.
 *
 * The result moves as the front grows, so hypervolumes computed with inferred reference points are not
 * comparable over time; fix the reference point to track progress.
 *
 * @param paretoY the front, n×m row-major, n ≥ 1 unless every coordinate is `known`.
 * @throws NumericalError when the front is empty and some coordinate is unknown, Y is malformed, or
 *   `known` does not have m entries.
 * @example inferReferencePoint(Float64Array.of(0, 10, 10, 0), 2, 2) // [-1, -1]
 */
export function inferReferencePoint(
  paretoY: Float64Array,
  n: number,
  m: number,
  options: InferReferencePointOptions = {},
): Float64Array {
  checkMatrix(paretoY, n, m, "inferReferencePoint");
  const scale = options.scale ?? 0.1;
  const known = options.known ?? new Array<number | null>(m).fill(null);
  if (known.length !== m) {
    throw new NumericalError(`inferReferencePoint: known needs ${m} entries, got ${known.length}`);
  }
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const given = known[k];
    if (given !== null && given !== undefined) {
      out[k] = given;
      continue;
    }
    if (n === 0) {
      throw new NumericalError(
        `inferReferencePoint: the front is empty, so objective ${k} has no observed value to infer its ` +
          "reference coordinate from; give its threshold",
      );
    }
    let worst = Number.POSITIVE_INFINITY;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const y = paretoY[i * m + k]!;
      worst = Math.min(worst, y);
      best = Math.max(best, y);
    }
    const range = n === 1 ? Math.abs(worst) : best - worst;
    out[k] = worst - scale * Math.max(range, MIN_RANGE);
  }
  return out;
}
