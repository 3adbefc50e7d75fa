/**
 * Log marginal likelihood of the standardized data and its analytic gradient in θ (log lengthscales, log
 * outputscale, constant mean, log noise), with buffers reused across the evaluations of a fit.
 *
 * With K = s²R + D (D the noise diagonal), r = y − c·1 and α = K⁻¹r:
 *   LML = −½ rᵀα − ½ log det K − (n/2) log 2π,
 *   ∂LML/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ),   ∂LML/∂c = 1ᵀα.
 */
import { NumericalError } from "../../errors.js";
import { cholesky, choleskyInverse, choleskySolveInPlace, logDetFromCholesky } from "../linalg/index.js";
import { logPrior, thetaLength } from "./hyperparameters.js";
import { matern52LengthscaleTraces, matern52MatrixScaled, scaleInputs } from "./kernel.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** LML and log prior of one evaluation (natural-scale densities, standardized outputs). */
export interface LikelihoodValue {
  logMarginalLikelihood: number;
  logPrior: number;
}

/**
 * The fit's objective on one standardized dataset. Not re-entrant: it owns n×n work buffers.
 */
export class MarginalLikelihood {
  readonly p: number;
  private readonly Z: Float64Array;
  private readonly K: Float64Array;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private readonly lengthscales: Float64Array;
  private readonly traces: Float64Array;
  private readonly priorGrad: Float64Array;

  /**
   * @param X n×d inputs; @param y length n, standardized outputs.
   * @param fixedNoise length n standardized noise variances, or null to infer one σ² (θ's last entry).
   */
  constructor(
    private readonly X: Float64Array,
    readonly n: number,
    readonly d: number,
    private readonly y: Float64Array,
    private readonly fixedNoise: Float64Array | null,
  ) {
    this.p = thetaLength(d, fixedNoise === null);
    this.Z = new Float64Array(n * d);
    this.K = new Float64Array(n * n);
    this.L = new Float64Array(n * n);
    this.alpha = new Float64Array(n);
    this.lengthscales = new Float64Array(d);
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
    for (let i = 0; i < d; i++) this.lengthscales[i] = Math.exp(theta[i]!);
    const s2 = Math.exp(theta[d]!);
    const c = theta[d + 1]!;
    const sigma2 = inferNoise ? Math.exp(theta[d + 2]!) : 0;
    scaleInputs(this.X, n, d, this.lengthscales, this.Z);
    matern52MatrixScaled(this.Z, n, d, s2, this.K);
    for (let a = 0; a < n; a++) this.K[a * n + a]! += inferNoise ? sigma2 : this.fixedNoise[a]!;
    try {
      cholesky(this.K, n, { out: this.L });
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

  /** ∂LML/∂θ into grad, from α and L of the last evaluation; overwrites L with K⁻¹ and then W. */
  private gradient(s2: number, sigma2: number, grad: Float64Array): void {
    const { n, d, alpha } = this;
    const W = choleskyInverse(this.L, n, this.L);
    let trace = 0;
    let sumAlpha = 0;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      const aa = alpha[a]!;
      sumAlpha += aa;
      for (let b = 0; b < n; b++) W[ra + b] = aa * alpha[b]! - W[ra + b]!;
      trace += W[ra + a]!;
    }
    matern52LengthscaleTraces(this.Z, n, d, s2, W, this.traces);
    for (let i = 0; i < d; i++) grad[i] = this.traces[i]!;
    // ∂K/∂log s² = s²R = K − D − jitter·I: its diagonal is s², its off-diagonal K's.
    let ws = s2 * trace;
    for (let a = 0; a < n; a++) {
      const ra = a * n;
      for (let b = 0; b < a; b++) ws += 2 * W[ra + b]! * this.K[ra + b]!;
    }
    grad[d] = 0.5 * ws;
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
