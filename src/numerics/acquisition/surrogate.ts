/**
 * What the acquisition functions need from a surrogate model. The GP satisfies these structurally; the
 * acquisition code never depends on a concrete model class. Every quantity is on the original output
 * scale and describes the latent, noise-free function f (never an observation y = f + ε).
 */

/** Posterior of f at one point with its gradient wrt the point; `x` has d coordinates. */
export interface PointPosteriorWithGradient {
  /** E[f(x)]. */
  mean: number;
  /** Var[f(x)] ≥ 0 (noise-free); values ≤ 0 from round-off are tolerated and floored. */
  variance: number;
  /** ∂mean/∂x, length d. */
  dMean: Float64Array;
  /** ∂variance/∂x, length d. */
  dVariance: Float64Array;
}

/** Posterior mean and variance of f at one point, without gradients. */
export interface PointPosterior {
  /** E[f(x)]. */
  mean: number;
  /** Var[f(x)] ≥ 0 (noise-free); values ≤ 0 from round-off are tolerated and floored. */
  variance: number;
}

/** Joint posterior of f at m points. */
export interface JointPosterior {
  /** E[f(X*)], length m. */
  mean: Float64Array;
  /** Cov[f(X*)], m×m row-major, symmetric. */
  covariance: Float64Array;
}

/** A single-output model with the analytic marginal posterior: enough for LogEI and LogPF. */
export interface Surrogate {
  /**
   * Posterior mean and variance of f at `x` (length d) and their gradients wrt `x`. The caller does not
   * keep the returned arrays past the next call, so an implementation may reuse them.
   */
  predictWithGradient(x: Float64Array): PointPosteriorWithGradient;
  /**
   * Optional value-only form of {@link Surrogate.predictWithGradient}, for evaluations without a gradient
   * (the raw samples that pick an optimizer's starts): a GP then skips a second triangular solve. Same
   * reuse rule for the returned object.
   */
  predictValue?(x: Float64Array): PointPosterior;
  /**
   * Optional: {@link Surrogate.predictValue} at the m rows of X (m×d), equal to m separate calls;
   * fresh arrays of length m.
   */
  predictValues?(X: Float64Array, m: number): { mean: Float64Array; variance: Float64Array };
  /**
   * Optional: exact posterior means at the m rows of X and upper bounds on the posterior variances
   * (varianceBound ≥ variance), cheaper than {@link Surrogate.predictValues}; fresh arrays of length m.
   */
  predictMeansAndVarianceBounds?(
    X: Float64Array,
    m: number,
  ): { mean: Float64Array; varianceBound: Float64Array };
}

/**
 * Posterior cross-covariance between f at a fixed set of nb points B and f at a moving point x, prepared
 * once for B (so a GP can cache k(B, X)·K⁻¹, which makes each call O(nb·n·d) instead of O(n²·nb)).
 */
export interface PosteriorCrossCovariance {
  /**
   * Writes Cov[f(B_i), f(x) | data] into `covariance` (length nb) and its gradient wrt x into
   * `dCovariance` (nb×d row-major: dCovariance[i·d + k] = ∂Cov[f(B_i), f(x)]/∂x_k). Allocation-free.
   *
   * For a GP with kernel k, training inputs X (n×d) and K = k(X, X) + noise:
   * Cov = k(B_i, x) − k(B_i, X)·K⁻¹·k(X, x) and ∂Cov/∂x = ∂k(B_i, x)/∂x − k(B_i, X)·K⁻¹·∂k(X, x)/∂x.
   */
  evaluate(x: Float64Array, covariance: Float64Array, dCovariance: Float64Array): void;
  /**
   * Optional: the covariance alone, equal to what {@link PosteriorCrossCovariance.evaluate} writes to
   * `covariance`, for value-only evaluations (raw-sample scoring) that need no gradient.
   */
  evaluateCovariance?(x: Float64Array, covariance: Float64Array): void;
}

/**
 * A model with joint posteriors, as the Monte Carlo acquisition qLogNEI needs: {@link Surrogate} plus
 * the joint posterior of a set of points and the prepared cross-covariance to that set.
 */
export interface JointSurrogate extends Surrogate {
  /** Joint posterior of f at the m rows of `Xstar` (m×d row-major). */
  jointPosterior(Xstar: Float64Array, m: number): JointPosterior;
  /**
   * Prepares {@link PosteriorCrossCovariance} against the nb rows of `B` (nb×d row-major). The returned
   * object must agree with {@link JointSurrogate.jointPosterior}: its covariance equals the off-diagonal
   * block of jointPosterior([B; x]). `B` is not modified and may be kept by reference.
   */
  prepareCrossCovariance(B: Float64Array, nb: number): PosteriorCrossCovariance;
}
