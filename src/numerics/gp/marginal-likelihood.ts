/**
 * Log marginal likelihood of the standardized data and its analytic gradient in θ (log lengthscales, log
 * outputscale, constant mean, log noise), with buffers reused across the evaluations of a fit.
 *
 * With K = s²R + D (D the noise diagonal), r = y − c·1 and α = K⁻¹r:
 *   LML = −½ rᵀα − ½ log det K − (n/2) log 2π,
 *   ∂LML/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ),   ∂LML/∂c = 1ᵀα.
 * With warped inputs u = w(x) (input-warping.ts) the warp concentrations act through u: see
 * {@link WarpedColumns}.
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
import { type GpPriorKind, logPrior, thetaLength, warpOffset } from "./hyperparameters.js";
import { kumaraswamyWarpWithDerivatives, type WarpWithDerivatives } from "./input-warping.js";
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
  /** The warped input columns, or null when no dimension is warped. */
  private readonly warped: WarpedColumns | null;

  /**
   * @param X n×d inputs; @param y length n, standardized outputs.
   * @param fixedNoise length n standardized noise variances, or null to infer one σ² (θ's last entry).
   * @param kernel the covariance kernel (default Matérn-5/2).
   * @param warpedDimensions input dimensions warped by a Kumaraswamy CDF, their concentrations the last
   *   2w entries of θ (see hyperparameters.ts); none by default.
   */
  constructor(
    X: Float64Array,
    readonly n: number,
    readonly d: number,
    private readonly y: Float64Array,
    private readonly fixedNoise: Float64Array | null,
    kernel: CovarianceKernel = DEFAULT_KERNEL,
    private readonly prior: GpPriorKind = "lognormal",
    warpedDimensions: readonly number[] = [],
  ) {
    this.p = thetaLength(d, fixedNoise === null, warpedDimensions.length);
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
    this.warped = warpedDimensions.length > 0 ? new WarpedColumns(X, n, d, warpedDimensions) : null;
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
    if (this.warped !== null) this.warped.update(theta, warpOffset(d, inferNoise), this.differences);
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
    if (this.warped !== null) {
      const w0 = warpOffset(d, this.fixedNoise === null);
      this.warped.gradient(weights, this.inverseSquaredLengthscales, grad, w0);
    }
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

/**
 * The warped columns of a likelihood's inputs, refreshed at every θ: u = w(x) for each warped dimension
 * with ∂u/∂log a and ∂u/∂log b, and the concentrations' part of the gradient.
 *
 * The warp moves the inputs, so with W = ααᵀ − K⁻¹ (symmetric) and u_ak entering row and column a of K,
 *   ∂LML/∂u_ak = ½·2·Σ_{b≠a} W_ab ∂k(u_a, u_b)/∂u_ak = −Σ_{b≠a} W_ab g_ab (u_ak − u_bk)/ℓ_k²
 * (g the kernel's radial factor, ∂k/∂r² = −g/2; the diagonal k(u_a, u_a) = s² does not move), and
 *   ∂LML/∂log a_k = Σ_a ∂LML/∂u_ak · ∂w(x_ak)/∂log a_k, the same for log b_k.
 * The pair weights W_ab g_ab are those the lengthscale gradient already forms.
 */
class WarpedColumns {
  private readonly w: number;
  /** Raw columns of the warped dimensions, w×n. */
  private readonly raw: Float64Array;
  /** Warped columns u, w×n. */
  private readonly u: Float64Array;
  private readonly dLogA: Float64Array;
  private readonly dLogB: Float64Array;
  /** ∂LML/∂u of one dimension, length n. */
  private readonly dU: Float64Array;
  private readonly scratch: WarpWithDerivatives = { value: 0, dx: 0, dLogA: 0, dLogB: 0 };

  constructor(
    X: Float64Array,
    private readonly n: number,
    d: number,
    private readonly dimensions: readonly number[],
  ) {
    const w = dimensions.length;
    this.w = w;
    this.raw = new Float64Array(w * n);
    for (let k = 0; k < w; k++) {
      for (let a = 0; a < n; a++) this.raw[k * n + a] = X[a * d + dimensions[k]!]!;
    }
    this.u = new Float64Array(w * n);
    this.dLogA = new Float64Array(w * n);
    this.dLogB = new Float64Array(w * n);
    this.dU = new Float64Array(n);
  }

  /** Warps the columns under θ's concentrations (from offset w0) and rewrites their pair differences. */
  update(theta: Float64Array, w0: number, differences: PairwiseSquaredDifferences): void {
    const { n, w, raw, u, scratch } = this;
    for (let k = 0; k < w; k++) {
      const a = Math.exp(theta[w0 + k]!);
      const b = Math.exp(theta[w0 + w + k]!);
      for (let r = k * n; r < (k + 1) * n; r++) {
        kumaraswamyWarpWithDerivatives(raw[r]!, a, b, scratch);
        u[r] = scratch.value;
        this.dLogA[r] = scratch.dLogA;
        this.dLogB[r] = scratch.dLogB;
      }
      differences.setDimension(this.dimensions[k]!, u.subarray(k * n, (k + 1) * n));
    }
  }

  /**
   * Writes ∂LML/∂log a_k and ∂LML/∂log b_k to grad[w0 + k] and grad[w0 + w + k].
   *
   * @param weights per pair a > b (row-major lower triangle), W_ab·g_ab.
   * @param inverseSquaredLengthscales 1/ℓ², length d.
   */
  gradient(
    weights: Float64Array,
    inverseSquaredLengthscales: Float64Array,
    grad: Float64Array,
    w0: number,
  ): void {
    const { n, w, u, dU } = this;
    for (let k = 0; k < w; k++) {
      const base = k * n;
      dU.fill(0);
      let p = 0;
      for (let a = 1; a < n; a++) {
        const ua = u[base + a]!;
        let sumA = 0;
        for (let b = 0; b < a; b++, p++) {
          const t = weights[p]! * (ua - u[base + b]!);
          sumA += t;
          dU[b]! += t;
        }
        dU[a]! -= sumA;
      }
      const scale = inverseSquaredLengthscales[this.dimensions[k]!]!;
      let ga = 0;
      let gb = 0;
      for (let a = 0; a < n; a++) {
        ga += dU[a]! * this.dLogA[base + a]!;
        gb += dU[a]! * this.dLogB[base + a]!;
      }
      grad[w0 + k] = scale * ga;
      grad[w0 + w + k] = scale * gb;
    }
  }
}
