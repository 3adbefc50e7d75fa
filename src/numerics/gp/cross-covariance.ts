/**
 * Posterior cross-covariance between f at a fixed set of points B and f at a moving point x, with its
 * x-gradient: what qLogNEI evaluates once per candidate. W = (K + D)⁻¹k(X, B) is cached at preparation,
 * so each evaluation costs O(n·nb·d) and allocates nothing.
 */
import { NumericalError } from "../../errors.js";
import type { PosteriorCrossCovariance } from "../acquisition/surrogate.js";
import { choleskySolveInPlace } from "../linalg/index.js";
import type { GpState } from "./gp-state.js";
import { matern52CrossScaled, matern52CrossWithRadialScaled, scaleInputs } from "./kernel.js";

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
  private readonly z: Float64Array;
  private readonly kX: Float64Array;
  private readonly gX: Float64Array;
  /** gX_j·(z − Z_j), n×d: −ℓ ⊙ ∂k(X_j, x)/∂x. */
  private readonly tX: Float64Array;
  private readonly kB: Float64Array;
  private readonly gB: Float64Array;

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
    const W = matern52CrossScaled(Z, n, this.ZB, nb, d, h.outputscale);
    choleskySolveInPlace(L, n, W, nb);
    this.Wt = new Float64Array(nb * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < nb; i++) this.Wt[i * n + j] = W[j * nb + i]!;
    this.z = new Float64Array(d);
    this.kX = new Float64Array(n);
    this.gX = new Float64Array(n);
    this.tX = new Float64Array(n * d);
    this.kB = new Float64Array(nb);
    this.gB = new Float64Array(nb);
  }

  /**
   * @param x length d.
   * @param covariance length nb, overwritten with Cov[f(B_i), f(x)].
   * @param dCovariance nb×d, overwritten: dCovariance[i·d + k] = ∂Cov[f(B_i), f(x)]/∂x_k.
   * @throws NumericalError on a length mismatch.
   */
  evaluate(x: Float64Array, covariance: Float64Array, dCovariance: Float64Array): void {
    const { state, nb, Wt, ZB, z, kX, gX, tX, kB, gB } = this;
    const { n, d, Z, invLengthscales: il, hyperparameters: h, transform: t } = state;
    if (x.length !== d || covariance.length !== nb || dCovariance.length !== nb * d) {
      throw new NumericalError(
        `PosteriorCrossCovariance.evaluate: need x of length ${d}, covariance of length ${nb} and ` +
          `dCovariance of length ${nb * d}`,
      );
    }
    for (let k = 0; k < d; k++) z[k] = x[k]! * il[k]!;
    matern52CrossWithRadialScaled(z, Z, n, d, h.outputscale, kX, gX);
    matern52CrossWithRadialScaled(z, ZB, nb, d, h.outputscale, kB, gB);
    for (let j = 0; j < n; j++) {
      const gj = gX[j]!;
      const rj = j * d;
      for (let k = 0; k < d; k++) tX[rj + k] = gj * (z[k]! - Z[rj + k]!);
    }
    const s2 = t.std * t.std;
    for (let i = 0; i < nb; i++) {
      const ri = i * n;
      const rd = i * d;
      // dCovariance row i accumulates Σ_j W_ji·gX_j(z − Z_j) − gB_i(z − ZB_i), then is scaled by σ_y²/ℓ.
      const gi = gB[i]!;
      for (let k = 0; k < d; k++) dCovariance[rd + k] = -gi * (z[k]! - ZB[rd + k]!);
      let c = kB[i]!;
      for (let j = 0; j < n; j++) {
        const w = Wt[ri + j]!;
        c -= w * kX[j]!;
        const rj = j * d;
        for (let k = 0; k < d; k++) dCovariance[rd + k]! += w * tX[rj + k]!;
      }
      covariance[i] = s2 * c;
      for (let k = 0; k < d; k++) dCovariance[rd + k] = s2 * il[k]! * dCovariance[rd + k]!;
    }
  }
}
