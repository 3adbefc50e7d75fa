/**
 * Small dense helpers on row-major Float64Arrays: dot products, matrix–vector and matrix–matrix products,
 * and mirroring a lower triangle.
 */
import { NumericalError } from "../../errors.js";
import { assertShape } from "./shape.js";

/**
 * Dot product xᵀy of the first `n` entries.
 *
 * @param n number of entries; default `x.length`.
 * @throws NumericalError when x or y has fewer than n entries.
 */
export function dot(x: Float64Array, y: Float64Array, n: number = x.length): number {
  if (x.length < n || y.length < n) {
    throw new NumericalError(`dot: need ${n} entries, got x of ${x.length} and y of ${y.length}`);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * y = A·x.
 *
 * @param A n×m, row-major.
 * @param n rows of A.
 * @param m columns of A.
 * @param x length m.
 * @param out length n, overwritten; allocated when omitted. Must not alias x.
 * @returns y, length n.
 * @throws NumericalError on a shape mismatch.
 */
export function matVec(
  A: Float64Array,
  n: number,
  m: number,
  x: Float64Array,
  out?: Float64Array,
): Float64Array {
  assertShape("matVec", "A", A, n, m);
  assertShape("matVec", "x", x, m, 1);
  const y = out ?? new Float64Array(n);
  assertShape("matVec", "out", y, n, 1);
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    let s = 0;
    for (let j = 0; j < m; j++) s += A[ri + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * C = A·B.
 *
 * @param A n×k, row-major.
 * @param B k×m, row-major.
 * @param n rows of A and C.
 * @param k columns of A, rows of B.
 * @param m columns of B and C.
 * @param out n×m, overwritten; allocated when omitted. Must not alias A or B.
 * @returns C, n×m, row-major.
 * @throws NumericalError on a shape mismatch.
 */
export function matMul(
  A: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  m: number,
  out?: Float64Array,
): Float64Array {
  assertShape("matMul", "A", A, n, k);
  assertShape("matMul", "B", B, k, m);
  const C = out ?? new Float64Array(n * m);
  assertShape("matMul", "out", C, n, m);
  C.fill(0);
  // i-p-j order: the innermost loop runs along rows of B and C, both contiguous.
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const Aip = A[i * k + p]!;
      const bp = p * m;
      for (let j = 0; j < m; j++) C[ci + j]! += Aip * B[bp + j]!;
    }
  }
  return C;
}

/**
 * Lower triangle (diagonal included) of A·Aᵀ for an m×n row-major A: out[i·m + j] = Σₖ A[i, k]·A[j, k]
 * for j ≤ i, as dot products of contiguous rows taken two by two (four accumulations over four loads).
 * The strict upper triangle of `out` is left as it was.
 *
 * @param out m×m, lower triangle overwritten; allocated (zeros) when omitted. Must not alias A.
 * @returns out.
 * @throws NumericalError on a shape mismatch.
 */
export function gramLower(A: Float64Array, m: number, n: number, out?: Float64Array): Float64Array {
  assertShape("gramLower", "A", A, m, n);
  const G = out ?? new Float64Array(m * m);
  assertShape("gramLower", "out", G, m, m);
  for (let i = 0; i < m; i += 2) {
    const ra = i * n;
    const two = i + 1 < m;
    const rb = two ? ra + n : ra;
    for (let j = 0; j <= i; j += 2) {
      const pa = j * n;
      const pb = j + 1 < m ? pa + n : pa;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < n; k++) {
        const a = A[ra + k]!;
        const b = A[rb + k]!;
        const x = A[pa + k]!;
        const y = A[pb + k]!;
        s00 += a * x;
        s01 += a * y;
        s10 += b * x;
        s11 += b * y;
      }
      G[i * m + j] = s00;
      if (j + 1 <= i) G[i * m + j + 1] = s01;
      if (two) {
        G[(i + 1) * m + j] = s10;
        if (j + 1 < m) G[(i + 1) * m + j + 1] = s11;
      }
    }
  }
  return G;
}

/**
 * Aᵀ, for an n×m row-major A.
 *
 * @returns m×n, row-major.
 * @throws NumericalError on a shape mismatch.
 */
export function transpose(A: Float64Array, n: number, m: number): Float64Array {
  assertShape("transpose", "A", A, n, m);
  const T = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) T[j * n + i] = A[i * m + j]!;
  }
  return T;
}

/**
 * Copies the strict lower triangle of A onto its upper triangle, in place, so A becomes symmetric.
 *
 * @param A n×n, row-major; its upper triangle is overwritten.
 * @returns A.
 * @throws NumericalError on a shape mismatch.
 */
export function symmetricFromLower(A: Float64Array, n: number): Float64Array {
  assertShape("symmetricFromLower", "A", A, n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j]!;
  }
  return A;
}
