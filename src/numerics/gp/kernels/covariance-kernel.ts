/**
 * What a stationary covariance kernel of the GP provides: its value as a function of the squared scaled
 * distance r² = Σᵢ ((xᵢ − x'ᵢ)/ℓᵢ)², times the outputscale s², and the radial factor from which every
 * derivative follows. Everything else (matrices, cross-covariances, lengthscale gradients, input
 * gradients) is built from these two by kernel-matrices.ts, so a new kernel is one file.
 */
export interface CovarianceKernel {
  /** Short stable name ("matern52", "matern32", "rbf"). */
  readonly name: string;
  /**
   * s²·φ(r²): the covariance of two points at squared scaled distance `r2`.
   *
   * @param r2 squared scaled distance, ≥ 0.
   * @param outputscale s² > 0.
   */
  covariance(r2: number, outputscale: number): number;
  /**
   * For p < count, from r² = r2[ro + p]: k[ko + p] = s²·φ(r²) and g[go + p] = −(1/r)·∂(s²φ)/∂r, the
   * radial factor, finite at r = 0, with which ∂k/∂zᵢ = −g·(zᵢ − z'ᵢ) and ∂k/∂log ℓᵢ = g·Δᵢ²/ℓᵢ².
   * `k` may be `r2` at the same offset: each r² is read before its k is written.
   */
  covariancesWithRadial(
    r2: Float64Array,
    ro: number,
    k: Float64Array,
    ko: number,
    g: Float64Array,
    go: number,
    count: number,
    outputscale: number,
  ): void;
}
