/** Pareto dominance between outcome vectors, maximization convention. */
import { NumericalError } from "../../errors.js";

/**
 * Whether a dominates b: a ≥ b in every objective and a > b in at least one (maximization).
 * `a` and `b` are rows of length m.
 */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>, m: number): boolean {
  let strictly = false;
  for (let k = 0; k < m; k++) {
    const ak = a[k]!;
    const bk = b[k]!;
    if (ak < bk) return false;
    if (ak > bk) strictly = true;
  }
  return strictly;
}

/**
 * The rows of Y (n×m, row-major) that no other row dominates (maximization): mask[i] is true when row i
 * is Pareto-optimal. Identical rows do not dominate each other, so every copy of an optimal row is kept.
 * Negate a minimized objective first.
 *
 * Cost: O(n·p·m) for p optimal rows: rows are visited by decreasing sum, so each is compared with the
 * optimal rows found so far only.
 *
 * @throws NumericalError when Y is not n×m or holds a value that is not finite.
 * @example nonDominatedMask(Float64Array.of(1, 0, 0, 1, 0, 0), 3, 2) // [true, true, false]
 */
export function nonDominatedMask(Y: Float64Array, n: number, m: number): boolean[] {
  checkMatrix(Y, n, m, "nonDominatedMask");
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += Y[i * m + k]!;
    sums[i] = s;
  }
  // Rounding is monotone, so a dominating row never has a smaller floating-point sum; on equal sums the
  // lexicographic order puts a dominating row first.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => sums[b]! - sums[a]! || lexicographicDescending(Y, a, b, m),
  );
  const mask = new Array<boolean>(n).fill(false);
  // Only optimal rows need to be compared against: a dominated row's dominator is dominated by (or is)
  // an optimal row with a larger sum, which dominates it too (dominance is transitive).
  const front: number[] = [];
  for (const i of order) {
    const yi = Y.subarray(i * m, (i + 1) * m);
    const dominated = front.some((j) => dominates(Y.subarray(j * m, (j + 1) * m), yi, m));
    if (!dominated) {
      front.push(i);
      mask[i] = true;
    }
  }
  return mask;
}

/** Indices of the Pareto-optimal rows of Y (n×m), ascending; see {@link nonDominatedMask}. */
export function nonDominatedIndices(Y: Float64Array, n: number, m: number): number[] {
  const mask = nonDominatedMask(Y, n, m);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) out.push(i);
  return out;
}

function lexicographicDescending(Y: Float64Array, a: number, b: number, m: number): number {
  for (let k = 0; k < m; k++) {
    const diff = Y[b * m + k]! - Y[a * m + k]!;
    if (diff !== 0) return diff;
  }
  return a - b;
}

/** @throws NumericalError unless Y is n×m with finite values. */
export function checkMatrix(Y: Float64Array, n: number, m: number, where: string): void {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 1 || Y.length !== n * m) {
    throw new NumericalError(
      `${where}: Y must be n×m row-major with m ≥ 1, got length ${Y.length} for n = ${n}, m = ${m}`,
    );
  }
  for (let i = 0; i < Y.length; i++) {
    if (!Number.isFinite(Y[i]!)) {
      throw new NumericalError(
        `${where}: Y holds ${Y[i]} at row ${Math.floor(i / m)}, column ${i % m}; values must be finite`,
      );
    }
  }
}
