/**
 * Cholesky factorization and solve for the optimizer's small systems (at most 2m × 2m, m the L-BFGS
 * memory, and k × k for k active linear constraints): unblocked, allocation-free, and reporting failure
 * instead of throwing or adding jitter, since the optimizer then resets or steps back.
 */
import { factorRows } from "./block-dots.js";
import { backSubstitutionTransposed, forwardSubstitution } from "./row-solves.js";

/**
 * Overwrites the lower triangle of the n×n symmetric positive-definite `A` with its Cholesky factor L
 * (A = L·Lᵀ); only the lower triangle is read, the upper one is left as it was.
 *
 * @returns false when a pivot is not positive and finite (A is not numerically positive definite); `A`
 *   is then partly overwritten.
 */
export function smallCholeskyInPlace(A: Float64Array, n: number): boolean {
  if (!factorRows(A, n, 0, n, 0)) return false;
  // factorRows lets an infinite pivot through (√∞ = ∞); these systems must reject it.
  for (let i = 0; i < n; i++) if (!Number.isFinite(A[i * n + i]!)) return false;
  return true;
}

/** Solves L·Lᵀ·x = b in place (b becomes x), with L from {@link smallCholeskyInPlace}. */
export function smallCholeskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  forwardSubstitution(L, n, b, 0);
  backSubstitutionTransposed(L, n, b);
}
