/**
 * Squared coordinate differences of every pair of training inputs, computed once per dataset: the part
 * of a stationary kernel matrix that does not depend on the hyperparameters. A fit evaluates the kernel
 * and its lengthscale gradient hundreds of times on the same inputs; from these, r² under any
 * lengthscales is d multiply-adds per pair, and the gradient's trace terms need no subtraction at all.
 */

import { NumericalError } from "../../errors.js";

/** Number of pairs a > b of n points: the strict lower triangle of an n×n matrix. */
export function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Δ²ᵢ(a, b) = (X_ai − X_bi)² for all pairs a > b, packed by dimension.
 *
 * Layout: `values[i·P + p]` with P = n(n−1)/2 and p = a(a−1)/2 + b, i.e. the strict lower triangle of
 * the n×n pair matrix read row by row. Dimension-major, so that r² = Σᵢ Δ²ᵢ/ℓᵢ² and the per-dimension
 * contractions Σ_p w_p·Δ²ᵢ(p) are d streaming passes over contiguous arrays.
 */
export class PairwiseSquaredDifferences {
  /** Number of pairs, n(n−1)/2. */
  readonly pairs: number;
  /** d×P, dimension-major (see the class documentation). */
  readonly values: Float64Array;

  /**
   * @param X n×d, row-major.
   * @param out d·n(n−1)/2 numbers to hold {@link PairwiseSquaredDifferences.values} (a view of SIMD
   *   kernel memory, say); allocated when omitted.
   */
  constructor(
    X: Float64Array,
    readonly n: number,
    readonly d: number,
    out?: Float64Array,
  ) {
    const P = pairCount(n);
    this.pairs = P;
    this.values = out ?? new Float64Array(d * P);
    if (this.values.length !== d * P) {
      throw new NumericalError(`PairwiseSquaredDifferences: out must hold d·n(n−1)/2 = ${d * P} numbers`);
    }
    for (let i = 0; i < d; i++) {
      const out = i * P;
      let p = 0;
      for (let a = 1; a < n; a++) {
        const xa = X[a * d + i]!;
        for (let b = 0; b < a; b++) {
          const t = xa - X[b * d + i]!;
          this.values[out + p++] = t * t;
        }
      }
    }
  }

  /**
   * Recomputes dimension i from new values of that input column (length n), e.g. warped inputs.
   *
   * @param column length n, the i-th coordinate of every point.
   */
  setDimension(i: number, column: ArrayLike<number>): void {
    const { n, pairs: P, values } = this;
    let p = i * P;
    for (let a = 1; a < n; a++) {
      const xa = column[a]!;
      for (let b = 0; b < a; b++) {
        const t = xa - column[b]!;
        values[p++] = t * t;
      }
    }
  }

  /**
   * r²(p) = Σᵢ Δ²ᵢ(p)·scales[i] for every pair; with scales = 1/ℓ², the squared scaled distance.
   *
   * @param scales length d.
   * @param out length P, overwritten.
   */
  weightedSum(scales: ArrayLike<number>, out: Float64Array): Float64Array {
    const { d, pairs: P, values } = this;
    out.fill(0, 0, P);
    for (let i = 0; i < d; i++) {
      const c = scales[i]!;
      const base = i * P;
      for (let p = 0; p < P; p++) out[p]! += c * values[base + p]!;
    }
    return out;
  }

  /**
   * outᵢ = Σ_p w_p·Δ²ᵢ(p) for each dimension i.
   *
   * @param w length P, one weight per pair.
   * @param out length d, overwritten.
   */
  contract(w: Float64Array, out: Float64Array): Float64Array {
    const { d, pairs: P, values } = this;
    for (let i = 0; i < d; i++) {
      const base = i * P;
      let s0 = 0;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < P; p += 2) {
        s0 += w[p]! * values[base + p]!;
        s1 += w[p + 1]! * values[base + p + 1]!;
      }
      if (p < P) s0 += w[p]! * values[base + p]!;
      out[i] = s0 + s1;
    }
    return out;
  }
}
