/**
 * Lower Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix, row-major, with the
 * jitter escalation a GP needs when its kernel matrix is only numerically positive semi-definite.
 */
import { NumericalError } from "../../errors.js";
import { blockedCholeskyInPlace, ScalarDots } from "./block-dots.js";
import { assertShape } from "./shape.js";

/**
 * Overwrites the lower triangle of `A` with its Cholesky factor L (A = L·Lᵀ) and zeroes the strict upper
 * triangle, so that on success `A` holds exactly L.
 *
 * Only the lower triangle (diagonal included) of `A` is read. Row-oriented (Cholesky–Banachiewicz) with
 * rows processed in blocks of four against pairs of earlier rows (see block-dots.ts), so each earlier row
 * of L is streamed once per block and eight dot products run as independent accumulations (six loads per
 * eight multiply-adds); a 1,000×1,000 factorization takes about 0.1 s in Node 20.
 *
 * @param A n×n, row-major; overwritten.
 * @param n order of A.
 * @returns `true` on success; `false` when a pivot is not strictly positive (A not numerically positive
 *   definite, or NaN in A). On `false` the contents of `A` are partly overwritten and must be discarded.
 * @throws NumericalError when `A` does not hold n×n numbers.
 */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  assertShape("choleskyInPlace", "A", A, n, n);
  return blockedCholeskyInPlace(new ScalarDots(A), n);
}

/** Options of {@link cholesky}: the jitter ladder and an optional output buffer. */
export interface CholeskyOptions {
  /** First nonzero jitter, as a multiple of `jitterScale`. Default 1e-8. */
  initialRelativeJitter?: number;
  /** Largest jitter tried, as a multiple of `jitterScale`. Default 1e-2. */
  maxRelativeJitter?: number;
  /** Factor between successive jitters. Default 10. */
  jitterGrowth?: number;
  /**
   * What the relative jitters multiply. Default mean(diag(A)), or 1 when that is not positive (a zero
   * matrix), so the jitter follows the scale of the kernel.
   */
  jitterScale?: number;
  /** n×n buffer to write L into (reused across calls in hot loops); allocated when omitted. Must not be A. */
  out?: Float64Array;
}

/** Result of {@link cholesky}. */
export interface CholeskyResult {
  /** n×n lower-triangular factor, row-major, strict upper triangle zero: L·Lᵀ = A + jitter·I. */
  L: Float64Array;
  /** Absolute jitter that was added to the diagonal; 0 when A itself was positive definite. */
  jitter: number;
}

/**
 * Lower Cholesky factor of a symmetric matrix, adding jitter to the diagonal when needed.
 *
 * Tries jitter 0 first, then `initialRelativeJitter·s`, multiplying by `jitterGrowth` up to
 * `maxRelativeJitter·s` (with the defaults: 0, 1e-8·s, 1e-7·s, …, 1e-2·s, eight attempts), where s is
 * `jitterScale` (default mean(diag(A))). Each attempt factors A + jitter·I afresh. Only the lower
 * triangle of A is read; A itself is left unchanged.
 *
 * @param A n×n symmetric, row-major.
 * @param n order of A.
 * @returns L (n×n) with L·Lᵀ = A + jitter·I, and the jitter used.
 * @throws NumericalError when A has a NaN or infinite entry, when A + jitter·I is still not positive
 *   definite at the largest jitter (the message gives n and that jitter), on a shape mismatch, or when
 *   `options.out` is A (use {@link choleskyInPlace} to factor in place).
 * @example
 * const { L, jitter } = cholesky(K, n); // K: n×n kernel matrix
 * const alpha = choleskySolve(L, n, y); // K⁻¹y
 */
export function cholesky(A: Float64Array, n: number, options: CholeskyOptions = {}): CholeskyResult {
  assertShape("cholesky", "A", A, n, n);
  const L = options.out ?? new Float64Array(n * n);
  assertShape("cholesky", "options.out", L, n, n);
  if (L === A) throw new NumericalError("cholesky: options.out must not be A, which every attempt re-reads");
  assertFiniteLower(A, n);
  const initial = options.initialRelativeJitter ?? 1e-8;
  const max = options.maxRelativeJitter ?? 1e-2;
  const growth = options.jitterGrowth ?? 10;
  if (!(initial > 0 && max >= initial && growth > 1)) {
    throw new NumericalError(
      `cholesky: need 0 < initialRelativeJitter ≤ maxRelativeJitter and jitterGrowth > 1, got ${initial}, ${max}, ${growth}`,
    );
  }
  const scale = options.jitterScale ?? meanDiagonalOrOne(A, n);
  if (tryFactor(A, n, L, 0)) return { L, jitter: 0 };
  let lastJitter = 0;
  // The small tolerance keeps floating-point drift in relative * growth from skipping the last rung.
  for (let relative = initial; relative <= max * (1 + 1e-9); relative *= growth) {
    lastJitter = relative * scale;
    if (tryFactor(A, n, L, lastJitter)) return { L, jitter: lastJitter };
  }
  throw new NumericalError(
    `cholesky: the ${n}×${n} matrix is not positive definite, even with jitter ${lastJitter.toExponential(3)} ` +
      `(${max} × ${scale.toExponential(3)}) added to its diagonal; check that it is symmetric positive ` +
      "semi-definite, or raise maxRelativeJitter",
  );
}

function tryFactor(A: Float64Array, n: number, L: Float64Array, jitter: number): boolean {
  L.set(A);
  if (jitter !== 0) for (let i = 0; i < n; i++) L[i * n + i]! += jitter;
  return choleskyInPlace(L, n);
}

/** mean(diag(A)) when positive, else 1: the default scale of the jitter. Internal to linalg. */
export function meanDiagonalOrOne(A: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += A[i * n + i]!;
  const mean = sum / n;
  return mean > 0 ? mean : 1;
}

function assertFiniteLower(A: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const a = A[i * n + j]!;
      if (!Number.isFinite(a)) {
        throw new NumericalError(
          `cholesky: the ${n}×${n} matrix has a non-finite entry ${a} at (${i}, ${j})`,
        );
      }
    }
  }
}
