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
  choleskySolveInPlace,
  logDetFromCholesky,
} from "../linalg/index.js";
import { backendFor, type ComputeBackend } from "./compute-backend.js";
import { type GpPriorKind, logPrior, thetaLength } from "./hyperparameters.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { DEFAULT_KERNEL } from "./kernels/default-kernel.js";
import { PairwiseSquaredDifferences, pairCount } from "./pairwise-differences.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** LML and log prior of one evaluation (natural-scale densities, standardized outputs). */
export interface LikelihoodValue {
  logMarginalLikelihood: number;
  logPrior: number;
}

/** The regions of a likelihood's workspace (see {@link ComputeBackend}). */
type Region = "L" | "differences" | "pairBuffer" | "covariance" | "radial";

/**
 * The fit's objective on one standardized dataset. Not re-entrant: it owns n×n work buffers.
 *
 * The pairwise squared differences of the inputs are computed once (d·n(n−1)/2 numbers), so an
 * evaluation builds K in a few passes over the pairs (r² by d multiply-adds, then the kernel) and the
 * gradient's lengthscale traces are d streaming passes over them: no ∂K/∂θ matrix is ever formed, and
 * K⁻¹ is built in place of the Cholesky factor, lower triangle only. The compute backend (TypeScript, or
 * WebAssembly SIMD for large n) holds all of these and runs the passes.
 */
export class MarginalLikelihood {
  readonly p: number;
  private readonly backend: ComputeBackend<Region>;
  private readonly differences: PairwiseSquaredDifferences;
  /** K = s²R + D, lower triangle, built only when the jitter ladder needs it. */
  private readonly K: Float64Array;
  /** The Cholesky factor, then K⁻¹ (lower triangles). */
  private readonly L: Float64Array;
  /** Per pair: r² of the last evaluation, then the gradient weights W_ab·g_ab. */
  private readonly pairBuffer: Float64Array;
  /** Per pair: the covariances k_ab. */
  private readonly covariances: Float64Array;
  /** Per pair: the radial factors g_ab, with ∂K/∂log ℓᵢ = g·Δ²ᵢ/ℓᵢ². */
  private readonly radial: Float64Array;
  private readonly alpha: Float64Array;
  private readonly inverseSquaredLengthscales: Float64Array;
  private readonly invDiagonal: Float64Array;
  private readonly traces: Float64Array;
  private readonly priorGrad: Float64Array;

  /**
   * @param X n×d inputs; @param y length n, standardized outputs.
   * @param fixedNoise length n standardized noise variances, or null to infer one σ² (θ's last entry).
   * @param kernel the covariance kernel (default Matérn-5/2).
   */
  constructor(
    X: Float64Array,
    readonly n: number,
    readonly d: number,
    private readonly y: Float64Array,
    private readonly fixedNoise: Float64Array | null,
    kernel: CovarianceKernel = DEFAULT_KERNEL,
    private readonly prior: GpPriorKind = "lognormal",
  ) {
    this.p = thetaLength(d, fixedNoise === null);
    const P = pairCount(n);
    const sizes = { L: n * n, differences: d * P, pairBuffer: P, covariance: P, radial: P };
    const backend = backendFor(n, sizes, kernel);
    this.backend = backend;
    this.L = backend.region("L");
    this.differences = new PairwiseSquaredDifferences(X, n, d, backend.region("differences"));
    this.pairBuffer = backend.region("pairBuffer");
    this.covariances = backend.region("covariance");
    this.radial = backend.region("radial");
    this.K = new Float64Array(n * n);
    this.alpha = new Float64Array(n);
    this.inverseSquaredLengthscales = new Float64Array(d);
    this.invDiagonal = new Float64Array(n);
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
      this.factor(s2, sigma2);
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
    const prior = logPrior(theta, d, inferNoise, this.priorGrad, this.prior);
    if (grad !== undefined) this.gradient(s2, sigma2, grad);
    return { logMarginalLikelihood: lml, logPrior: prior };
  }

  /**
   * K = s²R + D and its Cholesky factor L: r² per pair (d axpy passes over the differences), the
   * covariances and radial factors, K's lower triangle written straight into L and factored there
   * without jitter; when that fails (or K is not finite), K is rebuilt from the pair covariances and
   * `cholesky` runs its jitter ladder.
   *
   * @throws NumericalError when K cannot be factored even with jitter, or has a non-finite entry.
   */
  private factor(s2: number, sigma2: number): void {
    const { n, d, L, backend } = this;
    const { at } = backend;
    const P = this.differences.pairs;
    this.pairBuffer.fill(0);
    for (let i = 0; i < d; i++) {
      backend.axpy(at.pairBuffer, at.differences + i * P, this.inverseSquaredLengthscales[i]!, P);
    }
    backend.covariancesWithRadial(at.pairBuffer, at.covariance, at.radial, P, s2);
    this.writeLower(L, s2, sigma2);
    if (Number.isFinite(s2 + sigma2) && blockedCholeskyInPlace(backend.dots, n)) return;
    this.writeLower(this.K, s2, sigma2);
    cholesky(this.K, n, { out: L });
  }

  /** The lower triangle of K = s²R + D into A (n×n) from the covariances of the pairs. */
  private writeLower(A: Float64Array, s2: number, sigma2: number): void {
    const { n, covariances } = this;
    let p = 0;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      for (let b = 0; b < a; b++, p++) A[ra + b] = covariances[p]!;
      A[ra + a] = s2 + (this.fixedNoise === null ? sigma2 : this.fixedNoise[a]!);
    }
  }

  /**
   * ∂LML/∂θ into grad, from α and L of the last evaluation: with W = ααᵀ − K⁻¹ (lower triangle, in
   * place of L), ∂LML/∂θⱼ = ½ tr(W ∂K/∂θⱼ) = Σ_{a>b} W_ab (∂K/∂θⱼ)_ab + ½ Σ_a W_aa (∂K/∂θⱼ)_aa.
   */
  private gradient(s2: number, sigma2: number, grad: Float64Array): void {
    const { n, d, alpha, radial, covariances, backend, invDiagonal } = this;
    const Kinv = this.L;
    for (let i = 0; i < n; i++) invDiagonal[i] = 1 / Kinv[i * n + i]!;
    blockedInverseLower(backend.dots, n, invDiagonal);
    const weights = this.pairBuffer;
    let trace = 0;
    let sumAlpha = 0;
    // ∂K/∂log s² = s²R = K − D − jitter·I: its diagonal is s², its off-diagonal the pair covariances.
    let ws = 0;
    let p = 0;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      const aa = alpha[a]!;
      sumAlpha += aa;
      for (let b = 0; b < a; b++, p++) {
        const w = aa * alpha[b]! - Kinv[ra + b]!;
        ws += w * covariances[p]!;
        weights[p] = w * radial[p]!;
      }
      trace += aa * aa - Kinv[ra + a]!;
    }
    const { at } = backend;
    const P = this.differences.pairs;
    for (let i = 0; i < d; i++) this.traces[i] = backend.dot(at.pairBuffer, at.differences + i * P, P);
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
