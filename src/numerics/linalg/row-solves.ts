/**
 * Triangular solves of one right-hand side, row-oriented (each step a dot product of a row of the factor
 * with the solved part): the form of the small systems of the optimizer and of the single-point GP
 * queries. Every routine addresses its factor and vector by offsets, so the factor and the vector may
 * share one workspace.
 */

/**
 * L·x = b in place for the vector b = v[o … o + n), L n×n row-major at offset 0 of `L` (lower triangle
 * read), by sequential sums: xᵢ = (bᵢ − Σ_{j<i} L[i, j]·xⱼ)/L[i, i].
 */
export function forwardSubstitution(L: Float64Array, n: number, v: Float64Array, o: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = v[o + i]!;
    for (let j = 0; j < i; j++) s -= L[ri + j]! * v[o + j]!;
    v[o + i] = s / L[ri + i]!;
  }
}

/**
 * Lᵀ·x = b in place for the vector b (length n) with the lower-triangular L (n×n, row-major), reading
 * column i of L for row i of Lᵀ by sequential sums: xᵢ = (bᵢ − Σ_{k>i} L[k, i]·x_k)/L[i, i], i from n − 1
 * down. Strided reads: for the small systems it serves, no transpose is worth forming.
 */
export function backSubstitutionTransposed(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
}

/**
 * Σⱼ A[a + j]·B[b + j] for j < len, with four independent partial sums (about twice as fast as one
 * accumulation chain in V8), added as (s₀ + s₁) + (s₂ + s₃).
 */
export function dotUnrolled(A: Float64Array, a: number, B: Float64Array, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < len; j += 4) {
    s0 += A[a + j]! * B[b + j]!;
    s1 += A[a + j + 1]! * B[b + j + 1]!;
    s2 += A[a + j + 2]! * B[b + j + 2]!;
    s3 += A[a + j + 3]! * B[b + j + 3]!;
  }
  for (; j < len; j++) s0 += A[a + j]! * B[b + j]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * L·x = b in place, L n×n at offset `l` of `L`, b = v[o … o + n), each row's sum by {@link dotUnrolled}
 * (this solve is the O(n²) core of every acquisition call).
 */
export function forwardSolveUnrolled(
  L: Float64Array,
  l: number,
  n: number,
  v: Float64Array,
  o: number,
): void {
  for (let i = 0; i < n; i++) {
    const ri = l + i * n;
    v[o + i] = (v[o + i]! - dotUnrolled(L, ri, v, o, i)) / L[ri + i]!;
  }
}

/**
 * U·x = b in place, U n×n upper triangular and row-major at offset `u` of `U` (Lᵀ stored as such, so the
 * back substitution reads contiguous rows), b = v[o … o + n), each row's sum by {@link dotUnrolled}.
 */
export function backSolveUnrolled(U: Float64Array, u: number, n: number, v: Float64Array, o: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = u + i * n;
    v[o + i] = (v[o + i]! - dotUnrolled(U, ri + i + 1, v, o + i + 1, n - i - 1)) / U[ri + i]!;
  }
}
