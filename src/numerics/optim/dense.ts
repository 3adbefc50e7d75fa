/**
 * Norms and the LU factorization for the optimizer's small vectors and matrices (row-major Float64Array,
 * no allocation); its Cholesky factorizations and dot products are linalg's (`smallCholeskyInPlace`,
 * `dot`). The LU factorization reports failure instead of throwing, as the optimizer needs.
 */

/** Euclidean norm of the first n entries of v, scaled so that it does not overflow or underflow. */
export function norm2(v: Float64Array, n: number): number {
  const scale = normInf(v, n);
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < n; i++) s += (v[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** Infinity norm of the first n entries of v. */
export function normInf(v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]!);
    if (a > s || Number.isNaN(a)) s = a;
  }
  return s;
}

/**
 * In-place LU factorization with partial pivoting, P A = L U (unit L below the diagonal, U on and
 * above it); piv[i] is the row swapped into position i.
 * @returns false when a pivot is zero or not finite (A is numerically singular).
 */
export function luFactorInPlace(a: Float64Array, n: number, piv: Int32Array): boolean {
  for (let j = 0; j < n; j++) {
    let p = j;
    let best = Math.abs(a[j * n + j]!);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(a[i * n + j]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return false;
    piv[j] = p;
    if (p !== j) {
      for (let k = 0; k < n; k++) {
        const t = a[j * n + k]!;
        a[j * n + k] = a[p * n + k]!;
        a[p * n + k] = t;
      }
    }
    const inv = 1 / a[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const lij = a[i * n + j]! * inv;
      a[i * n + j] = lij;
      if (lij !== 0) for (let k = j + 1; k < n; k++) a[i * n + k]! -= lij * a[j * n + k]!;
    }
  }
  return true;
}

/** Solves A x = b in place (b becomes x), with the factors of {@link luFactorInPlace}. */
export function luSolveInPlace(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i]!;
    if (p !== i) {
      const t = b[i]!;
      b[i] = b[p]!;
      b[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= lu[i * n + k]! * b[k]!;
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= lu[i * n + k]! * b[k]!;
    b[i] = s / lu[i * n + i]!;
  }
}
