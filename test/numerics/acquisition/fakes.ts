/** Fake surrogates for the acquisition tests: a closed-form one and a tiny exact GP with an RBF kernel. */
import type {
  JointPosterior,
  JointSurrogate,
  PointPosteriorWithGradient,
  PosteriorCrossCovariance,
  Surrogate,
} from "../../../src/numerics/acquisition/index.js";
import { cholesky, choleskySolve, choleskySolveInPlace } from "../../../src/numerics/linalg/index.js";

/** μ(x) = m0 − a‖x − c‖², σ²(x) = v0 + b‖x − c‖²: closed form with analytic gradients. */
export class QuadraticSurrogate implements Surrogate {
  constructor(
    readonly center: Float64Array,
    readonly m0: number,
    readonly a: number,
    readonly v0: number,
    readonly b: number,
  ) {}

  predictWithGradient(x: Float64Array): PointPosteriorWithGradient {
    const d = x.length;
    const dMean = new Float64Array(d);
    const dVariance = new Float64Array(d);
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const t = x[k]! - this.center[k]!;
      r2 += t * t;
      dMean[k] = -2 * this.a * t;
      dVariance[k] = 2 * this.b * t;
    }
    return { mean: this.m0 - this.a * r2, variance: this.v0 + this.b * r2, dMean, dVariance };
  }
}

/** Fixed mean and variance everywhere (zero gradients): lets tests dial z directly. */
export class ConstantSurrogate implements Surrogate {
  constructor(
    readonly mean: number,
    readonly variance: number,
  ) {}
  predictWithGradient(x: Float64Array): PointPosteriorWithGradient {
    const d = x.length;
    return {
      mean: this.mean,
      variance: this.variance,
      dMean: new Float64Array(d),
      dVariance: new Float64Array(d),
    };
  }
}

/** Exact zero-mean GP, k(x, x') = s²·exp(−‖x − x'‖²/(2ℓ²)), Gaussian noise. */
export class ExactRbfGp implements JointSurrogate {
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private readonly kx: Float64Array;
  private readonly dkx: Float64Array;

  constructor(
    readonly X: Float64Array,
    readonly n: number,
    readonly d: number,
    y: Float64Array,
    readonly lengthscale = 0.3,
    readonly outputVariance = 1,
    readonly noise = 1e-6,
  ) {
    const K = this.cross(X, n, X, n);
    for (let i = 0; i < n; i++) K[i * n + i] = K[i * n + i]! + noise;
    this.L = cholesky(K, n).L;
    this.alpha = choleskySolve(this.L, n, y);
    this.kx = new Float64Array(n);
    this.dkx = new Float64Array(n * d);
  }

  kernel(A: Float64Array, i: number, B: Float64Array, j: number): number {
    let r2 = 0;
    for (let k = 0; k < this.d; k++) {
      const t = A[i * this.d + k]! - B[j * this.d + k]!;
      r2 += t * t;
    }
    return this.outputVariance * Math.exp(-r2 / (2 * this.lengthscale * this.lengthscale));
  }

  /** k(A, B), na×nb. */
  cross(A: Float64Array, na: number, B: Float64Array, nb: number): Float64Array {
    const out = new Float64Array(na * nb);
    for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) out[i * nb + j] = this.kernel(A, i, B, j);
    return out;
  }

  /** k(P_i, x) for the np rows of P into k, and ∂/∂x into dk (np×d). */
  kernelWithGradient(P: Float64Array, np: number, x: Float64Array, k: Float64Array, dk: Float64Array): void {
    const { d } = this;
    const inv = 1 / (this.lengthscale * this.lengthscale);
    for (let i = 0; i < np; i++) {
      const ki = this.kernel(P, i, x, 0);
      k[i] = ki;
      for (let c = 0; c < d; c++) dk[i * d + c] = ki * (P[i * d + c]! - x[c]!) * inv;
    }
  }

  predictWithGradient(x: Float64Array): PointPosteriorWithGradient {
    const { n, d, kx, dkx, alpha } = this;
    this.kernelWithGradient(this.X, n, x, kx, dkx);
    const w = choleskySolve(this.L, n, kx);
    let mean = 0;
    let quad = 0;
    const dMean = new Float64Array(d);
    const dVariance = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      mean += kx[i]! * alpha[i]!;
      quad += kx[i]! * w[i]!;
      for (let c = 0; c < d; c++) {
        dMean[c] = dMean[c]! + alpha[i]! * dkx[i * d + c]!;
        dVariance[c] = dVariance[c]! - 2 * w[i]! * dkx[i * d + c]!;
      }
    }
    return { mean, variance: this.outputVariance - quad, dMean, dVariance };
  }

  jointPosterior(Xstar: Float64Array, m: number): JointPosterior {
    const { n } = this;
    const Kxs = this.cross(this.X, n, Xstar, m);
    const W = choleskySolve(this.L, n, Kxs, m);
    const covariance = this.cross(Xstar, m, Xstar, m);
    const mean = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      for (let i = 0; i < n; i++) mean[a] = mean[a]! + Kxs[i * m + a]! * this.alpha[i]!;
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Kxs[i * m + a]! * W[i * m + b]!;
        covariance[a * m + b] = covariance[a * m + b]! - s;
      }
    }
    return { mean, covariance };
  }

  prepareCrossCovariance(B: Float64Array, nb: number): PosteriorCrossCovariance {
    const { n, d } = this;
    // W = K⁻¹ k(X, B), n×nb, once per B.
    const W = this.cross(this.X, n, B, nb);
    choleskySolveInPlace(this.L, n, W, nb);
    const kb = new Float64Array(nb);
    const dkb = new Float64Array(nb * d);
    return {
      evaluate: (x, covariance, dCovariance) => {
        const { kx, dkx } = this;
        this.kernelWithGradient(this.X, n, x, kx, dkx);
        this.kernelWithGradient(B, nb, x, kb, dkb);
        covariance.set(kb);
        dCovariance.set(dkb);
        for (let i = 0; i < n; i++) {
          const ki = kx[i]!;
          for (let j = 0; j < nb; j++) {
            const wij = W[i * nb + j]!;
            covariance[j] = covariance[j]! - wij * ki;
            for (let c = 0; c < d; c++)
              dCovariance[j * d + c] = dCovariance[j * d + c]! - wij * dkx[i * d + c]!;
          }
        }
      },
    };
  }
}

/** Central finite-difference gradient of f at x with step h. */
export function centralGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[k] = xp[k]! + h;
    xm[k] = xm[k]! - h;
    g[k] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

/** max_k |a_k − b_k| / max(1, |b_k|). */
export function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / Math.max(1, Math.abs(b[k]!)));
  }
  return worst;
}
