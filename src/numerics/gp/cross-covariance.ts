/**
 * Posterior cross-covariance between f at a fixed set of points B and f at a moving point x, with its
 * x-gradient: what qLogNEI evaluates once per candidate. W = (K + D)⁻¹k(X, B) is cached at preparation,
 * so each evaluation costs (d + 2)·n·nb multiply-adds in contiguous dot products and allocates nothing.
 */
import { NumericalError } from "../../errors.js";
import type { PosteriorCrossCovariance } from "../acquisition/surrogate.js";
import { choleskySolveInPlace, dotUnrolled, transpose } from "../linalg/index.js";
import type { GpState } from "./gp-state.js";
import type { InputWarp } from "./input-warping.js";
import { crossCovarianceScaled, crossWithRadialScaled, scaleInputs } from "./kernels/kernel-matrices.js";

/**
 * Cov[f(B_i), f(x)] = σ_y²·(k(B_i, x) − k(B_i, X)·(K + D)⁻¹·k(X, x)) on the original output scale (latent
 * f, no observation noise), equal to the off-diagonal block of the joint posterior of [B; x]; the
 * gradient is σ_y²·(∂k(B_i, x)/∂x − Σ_j W_ji·∂k(X_j, x)/∂x).
 */
export class GpCrossCovariance implements PosteriorCrossCovariance {
  /** Wᵀ = k(B, X)(K + D)⁻¹, nb×n (row i contiguous for the per-call dot products). */
  private readonly Wt: Float64Array;
  /** B ⊘ ℓ, nb×d. */
  private readonly ZB: Float64Array;
  /** Zᵀ = (X ⊘ ℓ)ᵀ, d×n: column k of the scaled inputs, contiguous. */
  private readonly Zt: Float64Array;
  private readonly z: Float64Array;
  /**
   * (d + 2)×n, rows: k(x, X), g (the radial factors), and g ⊙ Zᵀₖ for each k. Row i of Wᵀ against
   * these gives the covariance and, since Σⱼ Wⱼᵢ gⱼ (zₖ − Z_jk) = zₖ·(Wᵀg)ᵢ − (Wᵀ(g ⊙ Zₖ))ᵢ, the gradient:
   * d + 2 contiguous dot products per baseline point instead of a strided n×d accumulation.
   */
  private readonly H: Float64Array;
  /** The first two rows of H as views, made once rather than on every evaluation (garbage per call). */
  private readonly kX: Float64Array;
  private readonly gX: Float64Array;
  private readonly kB: Float64Array;
  private readonly gB: Float64Array;
  /** (d + 2)×4 dot products of the current block of baseline points. */
  private readonly dots: Float64Array;

  /**
   * @param B nb×d, row-major (read once; not kept).
   * @throws NumericalError when B does not hold nb×d numbers.
   */
  constructor(
    private readonly state: GpState,
    B: Float64Array,
    readonly nb: number,
  ) {
    const { n, d, L, Z, hyperparameters: h } = state;
    if (!Number.isInteger(nb) || nb < 0 || B.length !== nb * d) {
      throw new NumericalError(
        `prepareCrossCovariance: B must hold nb×d = ${nb}×${d} numbers, got ${B.length}`,
      );
    }
    this.ZB = scaleInputs(B, nb, d, h.lengthscales);
    // k(B, X) is nb×n; its transpose solved with nb right-hand sides gives W = (K + D)⁻¹k(X, B).
    const W = crossCovarianceScaled(state.kernel, Z, n, this.ZB, nb, d, h.outputscale);
    choleskySolveInPlace(L, n, W, nb);
    this.Wt = transpose(W, n, nb);
    this.Zt = transpose(Z, n, d);
    this.z = new Float64Array(d);
    this.H = new Float64Array((d + 2) * n);
    this.kX = this.H.subarray(0, n);
    this.gX = this.H.subarray(n, 2 * n);
    this.kB = new Float64Array(nb);
    this.gB = new Float64Array(nb);
    this.dots = new Float64Array((d + 2) * ROWS);
  }

  /**
   * @param x length d.
   * @param covariance length nb, overwritten with Cov[f(B_i), f(x)].
   * @param dCovariance nb×d, overwritten: dCovariance[i·d + k] = ∂Cov[f(B_i), f(x)]/∂x_k.
   * @throws NumericalError on a length mismatch.
   */
  evaluate(x: Float64Array, covariance: Float64Array, dCovariance: Float64Array): void {
    const { state, nb, ZB, z, H, gB } = this;
    const { n, d, invLengthscales: il } = state;
    if (x.length !== d || covariance.length !== nb || dCovariance.length !== nb * d) {
      throw new NumericalError(
        `PosteriorCrossCovariance.evaluate: need x of length ${d}, covariance of length ${nb} and ` +
          `dCovariance of length ${nb * d}`,
      );
    }
    this.crossToPoint(x);
    const gX = this.gX;
    for (let k = 0; k < d; k++) {
      const row = (k + 2) * n;
      const col = k * n;
      for (let j = 0; j < n; j++) H[row + j] = gX[j]! * this.Zt[col + j]!;
    }
    const s2 = state.transform.std * state.transform.std;
    const dots = this.dots;
    for (let i0 = 0; i0 < nb; i0 += ROWS) {
      const rows = Math.min(ROWS, nb - i0);
      for (let m = 0; m < d + 2; m++) rowDots(this.Wt, i0, rows, n, H, m * n, dots, m * ROWS);
      this.writeCovariance(i0, rows, covariance);
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        const rd = i * d;
        const wg = dots[ROWS + r]!;
        // ∂Cov/∂x_k = σ_y²/ℓ_k·(Σⱼ Wⱼᵢ gⱼ (zₖ − Z_jk) − gB_i (zₖ − ZB_ik)).
        const gi = gB[i]!;
        for (let k = 0; k < d; k++) {
          const zk = z[k]!;
          const acc = zk * wg - dots[(k + 2) * ROWS + r]! - gi * (zk - ZB[rd + k]!);
          dCovariance[rd + k] = s2 * il[k]! * acc;
        }
      }
    }
  }

  /**
   * The covariance alone, bit for bit what {@link GpCrossCovariance.evaluate} writes: one dot product per
   * baseline point instead of d + 2, for the value-only evaluations of raw samples.
   *
   * @throws NumericalError on a length mismatch.
   */
  evaluateCovariance(x: Float64Array, covariance: Float64Array): void {
    const { state, nb } = this;
    if (x.length !== state.d || covariance.length !== nb) {
      throw new NumericalError(
        `PosteriorCrossCovariance.evaluateCovariance: need x of length ${state.d} and covariance of length ${nb}`,
      );
    }
    this.crossToPoint(x);
    for (let i0 = 0; i0 < nb; i0 += ROWS) {
      const rows = Math.min(ROWS, nb - i0);
      rowDots(this.Wt, i0, rows, state.n, this.H, 0, this.dots, 0);
      this.writeCovariance(i0, rows, covariance);
    }
  }

  /** z = x ⊘ ℓ, k(x, X) and its radial factors into the first two rows of H, k(x, B) into kB and gB. */
  private crossToPoint(x: Float64Array): void {
    const { state, nb, ZB, z, kB, gB } = this;
    const { n, d, Z, invLengthscales: il, hyperparameters: h } = state;
    for (let k = 0; k < d; k++) z[k] = x[k]! * il[k]!;
    crossWithRadialScaled(state.kernel, z, Z, n, d, h.outputscale, this.kX, this.gX);
    crossWithRadialScaled(state.kernel, z, ZB, nb, d, h.outputscale, kB, gB);
  }

  /** covariance[i] = σ_y²·(k(B_i, x) − (Wᵀk(X, x))_i) for the rows of the current block. */
  private writeCovariance(i0: number, rows: number, covariance: Float64Array): void {
    const { std } = this.state.transform;
    const s2 = std * std;
    for (let r = 0; r < rows; r++) covariance[i0 + r] = s2 * (this.kB[i0 + r]! - this.dots[r]!);
  }
}

/** Baseline points handled together: each row of H is then streamed once per four rows of Wᵀ. */
const ROWS = 4;

/**
 * out[o + r] = Σⱼ A[(i0 + r)·n + j]·h[b + j] for r < rows (≤ 4): four rows of A against one vector, so
 * each h[j] is loaded once for four multiply-adds.
 */
function rowDots(
  A: Float64Array,
  i0: number,
  rows: number,
  n: number,
  h: Float64Array,
  b: number,
  out: Float64Array,
  o: number,
): void {
  if (rows < ROWS) {
    for (let r = 0; r < rows; r++) out[o + r] = dotUnrolled(A, (i0 + r) * n, h, b, n);
    return;
  }
  const a0 = i0 * n;
  const a1 = a0 + n;
  const a2 = a1 + n;
  const a3 = a2 + n;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let j = 0; j < n; j++) {
    const hj = h[b + j]!;
    s0 += A[a0 + j]! * hj;
    s1 += A[a1 + j]! * hj;
    s2 += A[a2 + j]! * hj;
    s3 += A[a3 + j]! * hj;
  }
  out[o] = s0;
  out[o + 1] = s1;
  out[o + 2] = s2;
  out[o + 3] = s3;
}

/**
 * The cross-covariance of a GP with warped inputs: B and every x go through the warp, and the gradient
 * is chained through it, ∂Cov/∂x_k = ∂Cov/∂u_k · w′(x_k).
 */
export class WarpedCrossCovariance implements PosteriorCrossCovariance {
  private readonly inner: GpCrossCovariance;
  private readonly u: Float64Array;
  private readonly slopes: Float64Array;

  /**
   * @param B nb×d, unwarped, row-major (read once; not kept).
   * @throws NumericalError when B does not hold nb×d numbers.
   */
  constructor(
    state: GpState,
    private readonly warp: InputWarp,
    B: Float64Array,
    readonly nb: number,
  ) {
    this.inner = new GpCrossCovariance(state, warp.warpRows(B, state.d), nb);
    this.u = new Float64Array(state.d);
    this.slopes = new Float64Array(state.d);
  }

  /** As {@link GpCrossCovariance.evaluate}, at the unwarped x. */
  evaluate(x: Float64Array, covariance: Float64Array, dCovariance: Float64Array): void {
    if (x.length !== this.u.length) {
      this.inner.evaluate(x, covariance, dCovariance);
      return;
    }
    this.warp.warpPoint(x, this.u, this.slopes);
    this.inner.evaluate(this.u, covariance, dCovariance);
    const d = this.u.length;
    for (let i = 0; i < this.nb; i++) {
      for (let k = 0; k < d; k++) dCovariance[i * d + k]! *= this.slopes[k]!;
    }
  }

  /** As {@link GpCrossCovariance.evaluateCovariance}, at the unwarped x. */
  evaluateCovariance(x: Float64Array, covariance: Float64Array): void {
    if (x.length !== this.u.length) {
      this.inner.evaluateCovariance(x, covariance);
      return;
    }
    this.warp.warpPoint(x, this.u, this.slopes);
    this.inner.evaluateCovariance(this.u, covariance);
  }
}
