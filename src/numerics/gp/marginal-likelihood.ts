/**
 * Log marginal likelihood of the standardized data and its analytic gradient in θ (log lengthscales, log
 * outputscale, constant mean, log noise), with buffers reused across the evaluations of a fit.
 *
 * With K = s²R + D (D the noise diagonal), r = y − c·1 and α = K⁻¹r:
 *   LML = −½ rᵀα − ½ log det K − (n/2) log 2π,
 *   ∂LML/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ),   ∂LML/∂c = 1ᵀα.
 */
import { NumericalError } from "../../errors.js";
import {
  blockedCholeskyInPlace,
  blockedInverseLower,
  cholesky,
  choleskyInverse,
  choleskySolveInPlace,
  logDetFromCholesky,
} from "../linalg/index.js";
import { SimdWorkspace } from "../simd/index.js";
import { logPrior, thetaLength } from "./hyperparameters.js";
import { PairwiseSquaredDifferences, pairCount } from "./pairwise-differences.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT5 = Math.sqrt(5);

/**
 * Above this many observations the factorization and the inverse of each evaluation run in the
 * WebAssembly SIMD kernel ({@link SimdWorkspace}), about twice as fast from a few hundred observations
 * on (at n = 400, 9 ms instead of 17; at n = 1,000, 0.14 s instead of 0.28), and so do the pairwise
 * passes (r², the kernel and its exponential, the lengthscale traces), about twice as fast too. Its sums
 * are in another order and its exponential is its own, so results agree with the TypeScript path to
 * rounding only: at or below this size, which covers every fit of up to 128 observations and every
 * subset search of a larger one (see `DEFAULT_SUBSET_SIZE`), the TypeScript path is kept and fits are
 * unchanged bit for bit.
 */
export const SIMD_MIN_EXCLUSIVE_OBSERVATIONS = 128;

/** LML and log prior of one evaluation (natural-scale densities, standardized outputs). */
export interface LikelihoodValue {
  logMarginalLikelihood: number;
  logPrior: number;
}

/**
 * The fit's objective on one standardized dataset. Not re-entrant: it owns n×n work buffers.
 *
 * The pairwise squared differences of the inputs are computed once (d·n(n−1)/2 numbers), so an
 * evaluation builds K in one pass over the pairs (d multiply-adds, one sqrt and one exp each) and the
 * gradient's lengthscale traces are d streaming passes over them: no ∂K/∂θ matrix is ever formed, and
 * K⁻¹ is built in place of the Cholesky factor, lower triangle only.
 */
export class MarginalLikelihood {
  readonly p: number;
  private readonly differences: PairwiseSquaredDifferences;
  private readonly K: Float64Array;
  /** The Cholesky factor, then K⁻¹; in the SIMD kernel's memory when there is one. */
  private readonly L: Float64Array;
  private readonly simd: SimdWorkspace | null;
  /**
   * With the SIMD kernel: double offsets in its memory of the differences (d×P), the per-pair buffer
   * (r², then the gradient weights), the covariances k_ab (in pair order) and the radial factors.
   */
  private readonly pairs: { values: number; buffer: number; covariance: number; radial: number } | null;
  /** The covariances k_ab per pair, with the SIMD kernel (otherwise K holds them). */
  private readonly pairCovariance: Float64Array | null;
  private readonly alpha: Float64Array;
  private readonly inverseSquaredLengthscales: Float64Array;
  /** Per pair: r² of the last evaluation, then the gradient weights W_ab·g_ab. */
  private readonly pairBuffer: Float64Array;
  /** Per pair: g_ab = s²·(5/3)(1 + √5r)e^{−√5r}, the radial factor of ∂K/∂log ℓᵢ = g·Δ²ᵢ/ℓᵢ². */
  private readonly radial: Float64Array;
  private readonly traces: Float64Array;
  private readonly priorGrad: Float64Array;

  /**
   * @param X n×d inputs; @param y length n, standardized outputs.
   * @param fixedNoise length n standardized noise variances, or null to infer one σ² (θ's last entry).
   */
  constructor(
    X: Float64Array,
    readonly n: number,
    readonly d: number,
    private readonly y: Float64Array,
    private readonly fixedNoise: Float64Array | null,
  ) {
    this.p = thetaLength(d, fixedNoise === null);
    const P = pairCount(n);
    const nn = n * n;
    this.K = new Float64Array(nn);
    this.simd = n > SIMD_MIN_EXCLUSIVE_OBSERVATIONS ? SimdWorkspace.create(nn + (d + 3) * P) : null;
    if (this.simd === null) {
      this.pairs = null;
      this.pairCovariance = null;
      this.differences = new PairwiseSquaredDifferences(X, n, d);
      this.L = new Float64Array(nn);
      this.pairBuffer = new Float64Array(P);
      this.radial = new Float64Array(P);
    } else {
      // Memory layout: [L (n×n) | differences (d×P) | buffer (P) | covariances (P) | radial (P)].
      const M = this.simd.matrix;
      const pairs = {
        values: nn,
        buffer: nn + d * P,
        covariance: nn + (d + 1) * P,
        radial: nn + (d + 2) * P,
      };
      this.pairs = pairs;
      this.L = M.subarray(0, nn);
      this.differences = new PairwiseSquaredDifferences(X, n, d, M.subarray(pairs.values, pairs.buffer));
      this.pairBuffer = M.subarray(pairs.buffer, pairs.covariance);
      this.pairCovariance = M.subarray(pairs.covariance, pairs.radial);
      this.radial = M.subarray(pairs.radial, pairs.radial + P);
    }
    this.alpha = new Float64Array(n);
    this.inverseSquaredLengthscales = new Float64Array(d);
    this.traces = new Float64Array(d);
    this.priorGrad = new Float64Array(this.p);
  }

  /**
   * LML(θ) and log prior(θ); writes ∂(LML)/∂θ to `grad` when given. NaN when K is not positive definite
   * even after jitter (the optimizer then backs off).
   *
   * @param theta length p; @param grad length p or undefined.
   */
  evaluate(theta: Float64Array, grad?: Float64Array): LikelihoodValue {
    const { n, d } = this;
    const inferNoise = this.fixedNoise === null;
    for (let i = 0; i < d; i++) this.inverseSquaredLengthscales[i] = Math.exp(-2 * theta[i]!);
    const s2 = Math.exp(theta[d]!);
    const c = theta[d + 1]!;
    const sigma2 = inferNoise ? Math.exp(theta[d + 2]!) : 0;
    try {
      if (this.simd === null) {
        this.buildCovariance(s2, sigma2);
        cholesky(this.K, n, { out: this.L });
      } else {
        this.factorSimd(this.simd, s2, sigma2);
      }
    } catch (error) {
      if (error instanceof NumericalError) return { logMarginalLikelihood: Number.NaN, logPrior: Number.NaN };
      throw error;
    }
    const { alpha } = this;
    for (let a = 0; a < n; a++) alpha[a] = this.y[a]! - c;
    choleskySolveInPlace(this.L, n, alpha);
    let quad = 0;
    for (let a = 0; a < n; a++) quad += (this.y[a]! - c) * alpha[a]!;
    const lml = -0.5 * quad - 0.5 * logDetFromCholesky(this.L, n) - n * HALF_LOG_2PI;
    this.priorGrad.fill(0);
    const prior = logPrior(theta, d, inferNoise, this.priorGrad);
    if (grad !== undefined) this.gradient(s2, sigma2, grad);
    return { logMarginalLikelihood: lml, logPrior: prior };
  }

  /**
   * The SIMD path of building K and factoring it: r² per pair (d axpy passes over the differences), the
   * covariances and radial factors (the kernel's Matérn-5/2 with its exponential), K's lower triangle
   * written straight into L and factored there without jitter; when that fails (or K is not finite),
   * K is rebuilt from the pair covariances and `cholesky` runs its jitter ladder.
   *
   * @throws NumericalError when K cannot be factored even with jitter, or has a non-finite entry.
   */
  private factorSimd(simd: SimdWorkspace, s2: number, sigma2: number): void {
    const { n, d, L, pairs } = this;
    const P = this.differences.pairs;
    const covariances = this.pairCovariance!;
    const offsets = pairs!;
    this.pairBuffer.fill(0);
    for (let i = 0; i < d; i++) {
      simd.axpy(offsets.buffer, offsets.values + i * P, this.inverseSquaredLengthscales[i]!, P);
    }
    simd.matern52(offsets.buffer, offsets.covariance, offsets.radial, P, s2);
    this.writeLower(L, covariances, s2, sigma2);
    if (Number.isFinite(s2 + sigma2) && blockedCholeskyInPlace(simd, n)) return;
    this.writeLower(this.K, covariances, s2, sigma2);
    cholesky(this.K, n, { out: L });
  }

  /** The lower triangle of K = s²R + D into A (n×n) from the covariances of the pairs. */
  private writeLower(A: Float64Array, covariances: Float64Array, s2: number, sigma2: number): void {
    const { n } = this;
    let p = 0;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      for (let b = 0; b < a; b++, p++) A[ra + b] = covariances[p]!;
      A[ra + a] = s2 + (this.fixedNoise === null ? sigma2 : this.fixedNoise[a]!);
    }
  }

  /**
   * Lower triangle of K = s²R + D into `K` (Cholesky reads no more; the upper triangle stays zero) and
   * the radial factors into `radial`, in one pass over the pairs.
   */
  private buildCovariance(s2: number, sigma2: number): void {
    const { n, K, radial } = this;
    const r2 = this.differences.weightedSum(this.inverseSquaredLengthscales, this.pairBuffer);
    let p = 0;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      for (let b = 0; b < a; b++, p++) {
        const q = r2[p]!;
        const r = Math.sqrt(q);
        const e = s2 * Math.exp(-SQRT5 * r);
        K[ra + b] = (1 + SQRT5 * r + (5 / 3) * q) * e;
        radial[p] = (5 / 3) * (1 + SQRT5 * r) * e;
      }
      K[ra + a] = s2 + (this.fixedNoise === null ? sigma2 : this.fixedNoise[a]!);
    }
  }

  /**
   * ∂LML/∂θ into grad, from α, L and K of the last evaluation: with W = ααᵀ − K⁻¹ (lower triangle, in
   * place of L), ∂LML/∂θⱼ = ½ tr(W ∂K/∂θⱼ) = Σ_{a>b} W_ab (∂K/∂θⱼ)_ab + ½ Σ_a W_aa (∂K/∂θⱼ)_aa.
   */
  private gradient(s2: number, sigma2: number, grad: Float64Array): void {
    const { n, d, alpha, K, radial, simd } = this;
    let Kinv = this.L;
    if (simd !== null) {
      const invDiagonal = new Float64Array(n);
      for (let i = 0; i < n; i++) invDiagonal[i] = 1 / Kinv[i * n + i]!;
      blockedInverseLower(simd, n, invDiagonal);
    } else Kinv = choleskyInverse(this.L, n, this.L, { mirror: false });
    const weights = this.pairBuffer;
    let trace = 0;
    let sumAlpha = 0;
    // ∂K/∂log s² = s²R = K − D − jitter·I: its diagonal is s², its off-diagonal K's (with the SIMD
    // kernel, the pair covariances: K itself is only built for the jitter ladder).
    let ws = 0;
    let p = 0;
    const covariances = this.pairCovariance;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      const aa = alpha[a]!;
      sumAlpha += aa;
      if (covariances === null) {
        for (let b = 0; b < a; b++, p++) {
          const w = aa * alpha[b]! - Kinv[ra + b]!;
          ws += w * K[ra + b]!;
          weights[p] = w * radial[p]!;
        }
      } else {
        for (let b = 0; b < a; b++, p++) {
          const w = aa * alpha[b]! - Kinv[ra + b]!;
          ws += w * covariances[p]!;
          weights[p] = w * radial[p]!;
        }
      }
      trace += aa * aa - Kinv[ra + a]!;
    }
    if (simd === null) this.differences.contract(weights, this.traces);
    else {
      const { buffer, values } = this.pairs!;
      const P = this.differences.pairs;
      for (let i = 0; i < d; i++) this.traces[i] = simd.dot(buffer, values + i * P, P);
    }
    for (let i = 0; i < d; i++) grad[i] = this.traces[i]! * this.inverseSquaredLengthscales[i]!;
    grad[d] = ws + 0.5 * s2 * trace;
    grad[d + 1] = sumAlpha;
    if (this.fixedNoise === null) grad[d + 2] = 0.5 * sigma2 * trace;
  }

  /**
   * The fit's objective: −(LML + log prior)/n and its gradient, in the form `minimizeBounded` takes.
   * Division by n keeps the gradient tolerance meaningful for any n. NaN when K cannot be factored.
   */
  readonly objective = (theta: Float64Array, grad: Float64Array): number => {
    const v = this.evaluate(theta, grad);
    const scale = -1 / this.n;
    for (let j = 0; j < this.p; j++) grad[j] = scale * (grad[j]! + this.priorGrad[j]!);
    return scale * (v.logMarginalLikelihood + v.logPrior);
  };
}
