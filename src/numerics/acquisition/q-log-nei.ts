/**
 * qLogNEI (Ament et al. 2023): Monte Carlo log noisy expected improvement, for noisy or unknown-noise
 * problems and for pending points, with an exact gradient for one candidate at a time.
 */
import { NumericalError } from "../../errors.js";
import {
  cholesky,
  solveLowerTriangularInPlace,
  solveUpperTriangularTransposedInPlace,
} from "../linalg/index.js";
import { logsumexp } from "../stats/index.js";
import type { AcquisitionFunction } from "./acquisition-function.js";
import { pruneInferiorPoints } from "./prune-baseline.js";
import { fatplusWeights, logFatplus, logSumFatplus, normalBaseSamples } from "./smoothed-improvement.js";
import { RELATIVE_VARIANCE_FLOOR } from "./standardized-score.js";
import type { JointSurrogate, PosteriorCrossCovariance } from "./surrogate.js";

/** Options of {@link QLogNoisyExpectedImprovement}. */
export interface QLogNoisyExpectedImprovementOptions {
  /** Observed inputs X_b, nObs×d row-major (at least one row unless there are pending points). */
  baseline: Float64Array;
  /** Pending (suggested, not yet observed) inputs X_p, nPending×d; default none. */
  pending?: Float64Array;
  /** Input dimension d. */
  dimension: number;
  /** Number S of Monte Carlo samples; default 128. */
  numSamples?: number;
  /** Seed of the scrambled Sobol base samples; default 0. */
  seed?: number;
  /**
   * Samples used by {@link QLogNoisyExpectedImprovement.screenMany} (the first ones of the S base
   * samples, themselves a balanced quasi-random set); default {@link DEFAULT_SCREENING_SAMPLES}, at most S.
   */
  screeningSamples?: number;
  /** Typical scale of the outcome (sd of Y); scales tauRelu and the variance floor. Default 1. */
  outcomeScale?: number;
  /** Temperature of the fat smooth ReLU, relative to outcomeScale; default 1e-6 (BoTorch's TAU_RELU). */
  tauRelu?: number;
  /** Temperature of the smooth max over a q-batch, on log improvements (dimensionless); default 1e-2. */
  tauMax?: number;
  /** Largest q accepted by {@link QLogNoisyExpectedImprovement.evaluateBatch}; default 1. */
  maxBatchSize?: number;
  /**
   * Drop the baseline (observed) points that are the best in none of 256 joint posterior samples before
   * preparing, as BoTorch does by default (`prune_baseline`); pending points are always kept. Default
   * false. Worth it from a few dozen observations on: the cost of each evaluation grows with n·nb.
   */
  pruneBaseline?: boolean;
}

/**
 * Default number of base samples of {@link QLogNoisyExpectedImprovement.screenMany}. Screening only ranks
 * hundreds of raw samples to pick the starts of the local optimization, which then runs on all S
 * samples; the Monte Carlo part, most of the cost of each raw sample, shrinks S/32-fold.
 */
export const DEFAULT_SCREENING_SAMPLES = 32;

/**
 * qLogNEI(x) = log (1/S) Σₛ fatplus_τ(f⁽ˢ⁾(x) − maxᵢ f⁽ˢ⁾(Bᵢ)), maximized, where B = [X_b; X_p] (nb×d) are
 * the baseline and pending points and f⁽ˢ⁾ are joint posterior samples of the latent f at [B; x] drawn
 * from fixed quasi-random base samples (so the acquisition is a deterministic, smooth function of x).
 *
 * No incumbent is needed: the best observed value is itself uncertain (noise) and sampled jointly with
 * the candidate. Pending points enter the baseline, so a candidate only earns what it improves over the
 * pending points too — equivalent in argmax to BoTorch's q-batch of [x; X_p] (E[max(0, f_c, f_p) − f*]
 * = E[max(0, f_p − f*)] + E[max(0, f_c − max(f*, f_p))]) but without a large constant swamping log(·).
 * This is the choice for noisy/unknown-noise problems and for batches; for noiseless problems,
 * {@link LogExpectedImprovement} on a fantasy-conditioned model does the same job analytically.
 *
 * Construction is the `prepare` step, once per suggestion: joint posterior of B, its Cholesky L_b
 * (O(nb³)), baseline samples and their max per sample, and Y = L_b⁻ᵀ·Z_b (O(S·nb²)). Each
 * {@link QLogNoisyExpectedImprovement.evaluate} then costs O(nb² + S·nb + nb·d) here plus the surrogate's
 * `predictWithGradient` and cross-covariance: the candidate's sample is
 * f⁽ˢ⁾ = μ_c + l_cᵀ z_b⁽ˢ⁾ + s_c z_c⁽ˢ⁾ with l_c = L_b⁻¹ Σ_bc and s_c² = σ_c² − ‖l_c‖²,
 * and l_cᵀ z_b⁽ˢ⁾ = Σ_bcᵀ y⁽ˢ⁾.
 *
 * @throws NumericalError when baseline and pending are both empty or their shapes disagree with d.
 */
export class QLogNoisyExpectedImprovement implements AcquisitionFunction {
  /** Number of baseline+pending points nb. */
  readonly nb: number;
  /** Number of samples S. */
  readonly numSamples: number;
  /** Samples used by {@link QLogNoisyExpectedImprovement.screenMany}. */
  readonly screeningSamples: number;
  private readonly d: number;
  private readonly tau: number;
  private readonly logTau: number;
  private readonly tauMax: number;
  private readonly varianceFloor: number;
  private readonly maxBatchSize: number;
  /** Cholesky factor L_b of Cov[f(B)] (+ jitter), nb×nb. */
  private readonly L: Float64Array;
  /** Base samples, S×(nb + maxBatchSize); columns nb… belong to the candidates. */
  private readonly Z: Float64Array;
  /** y⁽ˢ⁾ = L_b⁻ᵀ z_b⁽ˢ⁾, S×nb. */
  private readonly Yw: Float64Array;
  /** maxᵢ f⁽ˢ⁾(Bᵢ), length S. */
  private readonly bestSample: Float64Array;
  private readonly cross: PosteriorCrossCovariance;
  private readonly surrogate: JointSurrogate;
  private readonly B: Float64Array;
  // Workspaces (no allocation per evaluation).
  private readonly cov: Float64Array;
  private readonly dCov: Float64Array;
  private readonly l: Float64Array;
  private readonly ybar: Float64Array;
  private readonly li: Float64Array;
  private readonly u: Float64Array;
  /** Conditional sd s_c of the last candidate, and whether it sat at the variance floor. */
  private sc = 0;
  private floored = false;

  /** Prepares the acquisition for one suggestion step (see the class documentation). */
  constructor(surrogate: JointSurrogate, options: QLogNoisyExpectedImprovementOptions) {
    const d = options.dimension;
    const pending = options.pending ?? new Float64Array(0);
    if (options.baseline.length % d !== 0 || pending.length % d !== 0) {
      throw new NumericalError(`QLogNoisyExpectedImprovement: baseline and pending must be n×${d} row-major`);
    }
    const baseline = options.pruneBaseline
      ? pruneInferiorPoints(surrogate, options.baseline, options.baseline.length / d, d, {
          seed: options.seed ?? 0,
        })
      : options.baseline;
    const nb = (baseline.length + pending.length) / d;
    if (nb === 0) throw new NumericalError("QLogNoisyExpectedImprovement: no baseline or pending points");
    const S = options.numSamples ?? 128;
    const scale = options.outcomeScale ?? 1;
    this.d = d;
    this.nb = nb;
    this.numSamples = S;
    this.screeningSamples = Math.min(S, options.screeningSamples ?? DEFAULT_SCREENING_SAMPLES);
    if (!Number.isInteger(this.screeningSamples) || this.screeningSamples < 1) {
      throw new NumericalError(
        `QLogNoisyExpectedImprovement: screeningSamples must be a positive integer, got ${options.screeningSamples}`,
      );
    }
    this.tau = (options.tauRelu ?? 1e-6) * scale;
    this.logTau = Math.log(this.tau);
    this.tauMax = options.tauMax ?? 1e-2;
    this.varianceFloor = RELATIVE_VARIANCE_FLOOR * scale * scale;
    this.maxBatchSize = options.maxBatchSize ?? 1;
    this.surrogate = surrogate;
    this.B = new Float64Array(nb * d);
    this.B.set(baseline);
    this.B.set(pending, baseline.length);
    const posterior = surrogate.jointPosterior(this.B, nb);
    this.L = cholesky(posterior.covariance, nb).L;
    this.Z = normalBaseSamples(S, nb + this.maxBatchSize, options.seed ?? 0);
    this.Yw = new Float64Array(S * nb);
    this.bestSample = new Float64Array(S);
    this.sampleBaseline(posterior.mean);
    this.cross = surrogate.prepareCrossCovariance(this.B, nb);
    this.cov = new Float64Array(nb);
    this.dCov = new Float64Array(nb * d);
    this.l = new Float64Array(nb);
    this.ybar = new Float64Array(nb);
    this.li = new Float64Array(S);
    this.u = new Float64Array(S);
  }

  /** f⁽ˢ⁾(B) = μ_b + L_b z_b⁽ˢ⁾ → its max per sample, and y⁽ˢ⁾ = L_b⁻ᵀ z_b⁽ˢ⁾. */
  private sampleBaseline(mean: Float64Array): void {
    const { nb, L, Z, Yw } = this;
    const width = nb + this.maxBatchSize;
    for (let s = 0; s < this.numSamples; s++) {
      const z = Z.subarray(s * width, s * width + nb);
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < nb; i++) {
        let f = mean[i]!;
        for (let j = 0; j <= i; j++) f += L[i * nb + j]! * z[j]!;
        if (f > best) best = f;
      }
      this.bestSample[s] = best;
      const y = Yw.subarray(s * nb, (s + 1) * nb);
      y.set(z);
      solveUpperTriangularTransposedInPlace(L, nb, y);
    }
  }

  /**
   * qLogNEI of the single candidate `x` (length d); writes ∂/∂x into `gradient` when given.
   * Finite for every finite posterior.
   */
  evaluate(x: Float64Array, gradient?: Float64Array): number {
    // Without a gradient (raw samples) the surrogate's value-only posterior is enough.
    const valueOnly = gradient === undefined ? this.surrogate.predictValue?.(x) : undefined;
    const withGradient = valueOnly === undefined ? this.surrogate.predictWithGradient(x) : null;
    const lse = this.logSumOverSamples(
      x,
      valueOnly ?? withGradient!,
      gradient !== undefined,
      this.numSamples,
    );
    if (gradient !== undefined && withGradient !== null) {
      this.gradient(lse, this.sc, this.floored, withGradient.dMean, withGradient.dVariance, gradient);
    }
    return lse - Math.log(this.numSamples);
  }

  /**
   * qLogNEI at the m rows of X (m×d), each equal to {@link QLogNoisyExpectedImprovement.evaluate} without
   * a gradient; the marginal posteriors come from one batched prediction when the surrogate has it.
   */
  evaluateMany(X: Float64Array, m: number): Float64Array {
    return this.valuesWith(X, m, this.numSamples);
  }

  /**
   * Estimates of qLogNEI at the m rows of X (m×d) from the first `screeningSamples` base samples only:
   * for ranking many points (the raw samples that choose the starts of the local optimization), not for
   * reporting a value. Equal to {@link QLogNoisyExpectedImprovement.evaluateMany} when screeningSamples = S.
   */
  screenMany(X: Float64Array, m: number): Float64Array {
    return this.valuesWith(X, m, this.screeningSamples);
  }

  /** The values at the m rows of X on the first S′ base samples. */
  private valuesWith(X: Float64Array, m: number, samples: number): Float64Array {
    const { d } = this;
    const out = new Float64Array(m);
    const post = { mean: 0, variance: 0 };
    const batched = this.surrogate.predictValues?.(X, m);
    for (let i = 0; i < m; i++) {
      const x = X.subarray(i * d, (i + 1) * d);
      const p = batched === undefined ? this.marginal(x) : null;
      post.mean = p?.mean ?? batched!.mean[i]!;
      post.variance = p?.variance ?? batched!.variance[i]!;
      out[i] = this.logSumOverSamples(x, post, false, samples) - Math.log(samples);
    }
    return out;
  }

  /** The candidate's marginal posterior, value only when the surrogate can. */
  private marginal(x: Float64Array): { mean: number; variance: number } {
    return this.surrogate.predictValue?.(x) ?? this.surrogate.predictWithGradient(x);
  }

  /**
   * logsumexp over the samples of the log improvements at x given its marginal posterior; leaves the
   * candidate's conditional sd (and whether it was floored) in `sc` and `floored` for the gradient, and
   * the covariance gradient in `dCov` when `withGradient` (otherwise, when the cross-covariance can, only
   * the covariance is computed). Uses the first S base samples.
   */
  private logSumOverSamples(
    x: Float64Array,
    post: { mean: number; variance: number },
    withGradient: boolean,
    S: number,
  ): number {
    const { nb, cov, l, li, u, Yw, Z, tau } = this;
    const width = nb + this.maxBatchSize;
    if (!withGradient && this.cross.evaluateCovariance !== undefined) this.cross.evaluateCovariance(x, cov);
    else this.cross.evaluate(x, cov, this.dCov);
    l.set(cov);
    solveLowerTriangularInPlace(this.L, nb, l);
    let s2 = post.variance;
    for (let i = 0; i < nb; i++) s2 -= l[i]! * l[i]!;
    const floored = !(s2 > this.varianceFloor);
    const sc = Math.sqrt(floored ? this.varianceFloor : s2);
    // Read once into locals: post has several shapes (batched, value-only, with gradient), and reading
    // its double field inside the loop boxed a number per sample, most of an evaluation's garbage.
    const mean = post.mean;
    const bestSample = this.bestSample;
    for (let s = 0; s < S; s++) {
      let f = mean + sc * Z[s * width + nb]!;
      const row = s * nb;
      for (let i = 0; i < nb; i++) f += cov[i]! * Yw[row + i]!;
      u[s] = (f - bestSample[s]!) / tau;
    }
    this.sc = sc;
    this.floored = floored;
    return logSumFatplus(u, S, this.logTau, li);
  }

  /** ∇ = A·∂μ_c + ∂Σ_bcᵀ(ȳ − (C/s_c)·L_b⁻ᵀl_c) + (C/(2s_c))·∂σ_c², with weights gₛ = wₛ·∂liₛ/∂f. */
  private gradient(
    lse: number,
    sc: number,
    floored: boolean,
    dMean: Float64Array,
    dVariance: Float64Array,
    gradient: Float64Array,
  ): void {
    const { nb, d, li, u, Yw, Z, ybar, l, dCov } = this;
    const width = nb + this.maxBatchSize;
    let A = 0;
    let C = 0;
    ybar.fill(0);
    // li becomes the weights gₛ·τ (its log values are not needed any more).
    fatplusWeights(u, this.numSamples, this.logTau, li, lse, li);
    for (let s = 0; s < this.numSamples; s++) {
      const g = li[s]! / this.tau;
      if (g === 0) continue;
      A += g;
      C += g * Z[s * width + nb]!;
      const row = s * nb;
      for (let i = 0; i < nb; i++) ybar[i] = ybar[i]! + g * Yw[row + i]!;
    }
    const cs = floored ? 0 : C / sc;
    if (cs !== 0) {
      solveUpperTriangularTransposedInPlace(this.L, nb, l);
      for (let i = 0; i < nb; i++) ybar[i] = ybar[i]! - cs * l[i]!;
    }
    for (let k = 0; k < d; k++) gradient[k] = A * dMean[k]! + 0.5 * cs * dVariance[k]!;
    for (let i = 0; i < nb; i++) {
      const w = ybar[i]!;
      const row = i * d;
      for (let k = 0; k < d; k++) gradient[k] = gradient[k]! + w * dCov[row + k]!;
    }
  }

  /**
   * qLogNEI of a q-batch C (q×d, q ≤ maxBatchSize), value only: per sample the log improvements of the
   * q candidates are combined by a smooth max τ_max·logsumexp(li/τ_max). For q = 1 it equals
   * {@link QLogNoisyExpectedImprovement.evaluate} up to the jitter of a 1×1 Cholesky factor.
   *
   * @throws NumericalError when q exceeds maxBatchSize or C is not q×d.
   */
  evaluateBatch(C: Float64Array, q: number): number {
    const { nb, d, Z, tau } = this;
    if (q < 1 || q > this.maxBatchSize || C.length !== q * d) {
      throw new NumericalError(`evaluateBatch: C must be q×${d} with 1 ≤ q ≤ ${this.maxBatchSize}`);
    }
    const { mean, covariance } = this.surrogate.jointPosterior(C, q);
    const Lcb = new Float64Array(q * nb);
    for (let j = 0; j < q; j++) {
      const row = Lcb.subarray(j * nb, (j + 1) * nb);
      this.cross.evaluate(C.subarray(j * d, (j + 1) * d), row, this.dCov);
      solveLowerTriangularInPlace(this.L, nb, row);
    }
    const schur = Float64Array.from(covariance);
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < q; k++) {
        let s = 0;
        for (let i = 0; i < nb; i++) s += Lcb[j * nb + i]! * Lcb[k * nb + i]!;
        schur[j * q + k] = schur[j * q + k]! - s;
      }
    }
    // Conditioning on B can leave round-off negatives on the diagonal (a candidate at a baseline point).
    for (let j = 0; j < q; j++) schur[j * q + j] = Math.max(schur[j * q + j]!, this.varianceFloor);
    const Lcc = cholesky(schur, q).L;
    const width = nb + this.maxBatchSize;
    const perSample = new Float64Array(this.numSamples);
    const liq = new Float64Array(q);
    for (let s = 0; s < this.numSamples; s++) {
      const z = Z.subarray(s * width, (s + 1) * width);
      for (let j = 0; j < q; j++) {
        let f = mean[j]!;
        for (let i = 0; i < nb; i++) f += Lcb[j * nb + i]! * z[i]!;
        for (let k = 0; k <= j; k++) f += Lcc[j * q + k]! * z[nb + k]!;
        liq[j] = (this.logTau + logFatplus((f - this.bestSample[s]!) / tau)) / this.tauMax;
      }
      perSample[s] = q === 1 ? liq[0]! * this.tauMax : this.tauMax * logsumexp(liq, q);
    }
    return logsumexp(perSample) - Math.log(this.numSamples);
  }
}
