/**
 * GP posterior computations on a {@link GpState}, reported on the original output scale:
 * μ(x) = ȳ + σ_y (c + k(x)ᵀα),  v(x) = σ_y² (s² − k(x)ᵀ(K + D)⁻¹k(x)).
 */
import { NumericalError } from "../../errors.js";
import {
  backSolveUnrolled,
  type FourByTwoDots,
  forwardSolveUnrolled,
  gramLower,
  ScalarDots,
  solveLowerRows,
  solveLowerTriangularInPlace,
  transpose,
} from "../linalg/index.js";
import { SimdWorkspace } from "../simd/index.js";
import type { GpState } from "./gp-state.js";
import { matern52CrossScaled, matern52CrossWithRadialScaled, scaleInputs } from "./kernel.js";
import { SIMD_MIN_EXCLUSIVE_OBSERVATIONS } from "./marginal-likelihood.js";

/** Standardized variances are clamped at this (cancellation can make s² − kᵀK⁻¹k slightly negative). */
export const MIN_VARIANCE = 1e-12;

/** Test points handled together by {@link predictPosterior}, bounding its memory to n × BLOCK numbers. */
const BLOCK = 256;

/** Marginal posterior at m points: means and variances, length m, original scale. */
export interface PosteriorMarginals {
  mean: Float64Array;
  variance: Float64Array;
}

/** Joint posterior at m points: mean (m) and covariance (m×m, row-major), original scale. */
export interface JointPosterior {
  mean: Float64Array;
  covariance: Float64Array;
}

/** Posterior mean and variance at one point with their gradients in x, original scale. */
export interface PosteriorWithGradient {
  mean: number;
  variance: number;
  /** ∂mean/∂x, length d. */
  dMean: Float64Array;
  /** ∂variance/∂x, length d. */
  dVariance: Float64Array;
}

/** Options of the posterior queries. */
export interface PredictOptions {
  /** Add the observation noise of a new point (σ², or the mean fixed noise) to the variance. Default false. */
  includeNoise?: boolean;
}

function checkPoints(state: GpState, Xstar: Float64Array, m: number, routine: string): void {
  if (!Number.isInteger(m) || m < 0 || Xstar.length !== m * state.d) {
    throw new NumericalError(
      `${routine}: Xstar must hold m×d = ${m}×${state.d} numbers, got ${Xstar.length}`,
    );
  }
}

/** V = L⁻¹K(X, X*) (n×m) and the standardized means c + K(X*, X)α. */
function crossTerms(state: GpState, Xstar: Float64Array, m: number) {
  const { n, d, hyperparameters: h } = state;
  const Zs = scaleInputs(Xstar, m, d, h.lengthscales);
  const V = matern52CrossScaled(state.Z, n, Zs, m, d, h.outputscale);
  const mean = new Float64Array(m).fill(h.constantMean);
  for (let a = 0; a < n; a++) {
    const aa = state.alpha[a]!;
    const ra = a * m;
    for (let j = 0; j < m; j++) mean[j]! += V[ra + j]! * aa;
  }
  solveLowerTriangularInPlace(state.L, n, V, m);
  return { V, mean, Zs };
}

/**
 * Marginal posterior of the latent f at m points (plus observation noise when asked).
 *
 * @param Xstar m×d, row-major.
 * @throws NumericalError on a shape mismatch.
 */
export function predictPosterior(
  state: GpState,
  Xstar: Float64Array,
  m: number,
  options: PredictOptions = {},
): PosteriorMarginals {
  checkPoints(state, Xstar, m, "predict");
  const { d, n, transform: t } = state;
  const s2 = state.hyperparameters.outputscale;
  const noise = options.includeNoise ? state.newPointNoise : 0;
  const mean = new Float64Array(m);
  const variance = new Float64Array(m);
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const mb = Math.min(BLOCK, m - j0);
    const block = crossTerms(state, Xstar.subarray(j0 * d, (j0 + mb) * d), mb);
    for (let j = 0; j < mb; j++) {
      let vv = 0;
      for (let a = 0; a < n; a++) vv += block.V[a * mb + j]! ** 2;
      mean[j0 + j] = t.mean + t.std * block.mean[j]!;
      variance[j0 + j] = t.std * t.std * (Math.max(s2 - vv, MIN_VARIANCE) + noise);
    }
  }
  return { mean, variance };
}

/**
 * Joint posterior of f at m points: Σ = K** − VᵀV with V = L⁻¹K(X, X*) (plus noise·I when asked).
 *
 * @param Xstar m×d, row-major.
 * @returns mean (m) and covariance (m×m, symmetric), original scale.
 * @throws NumericalError on a shape mismatch.
 */
export function jointPosterior(
  state: GpState,
  Xstar: Float64Array,
  m: number,
  options: PredictOptions = {},
): JointPosterior {
  checkPoints(state, Xstar, m, "jointPosterior");
  const { n, d, transform: t } = state;
  const { V, mean, Zs } = crossTerms(state, Xstar, m);
  const covariance = matern52CrossScaled(Zs, m, Zs, m, d, state.hyperparameters.outputscale);
  // VᵀV from the rows of Vᵀ (contiguous dot products); rank-one updates of the m×m matrix, one per
  // training point, would sweep all of it n times.
  const VtV = gramLower(transpose(V, n, m), m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) covariance[i * m + j]! -= VtV[i * m + j]!;
  }
  const s2 = t.std * t.std;
  const noise = options.includeNoise ? state.newPointNoise : 0;
  for (let i = 0; i < m; i++) {
    covariance[i * m + i] = Math.max(covariance[i * m + i]!, MIN_VARIANCE) + noise;
    for (let j = 0; j <= i; j++) {
      const v = s2 * covariance[i * m + j]!;
      covariance[i * m + j] = v;
      covariance[j * m + i] = v;
    }
    mean[i] = t.mean + t.std * mean[i]!;
  }
  return { mean, covariance };
}

/**
 * Reusable buffers for the posterior and its x-gradient at one point, O(nd + n²) per call and
 * allocation-free: k(x, X) and the radial factors in one pass over X, then v = L⁻¹k (variance) and
 * w = L⁻ᵀv = (K + D)⁻¹k (variance gradient, ∂v/∂x = −2 wᵀ∂k/∂x).
 */
export class PosteriorGradientWorkspace {
  /** Lᵀ, row-major: the back substitution then reads contiguous rows (dot products, no stores). */
  private readonly U: Float64Array;
  private readonly z: Float64Array;
  /** k(x, X), then the solves' vector; in the SIMD kernel's memory when there is one. */
  private readonly k: Float64Array;
  private readonly g: Float64Array;
  /** The result object returned when no `out` is passed; overwritten by every call. */
  readonly result: PosteriorWithGradient;
  /**
   * Above {@link SIMD_MIN_EXCLUSIVE_OBSERVATIONS} observations, the WebAssembly SIMD kernel whose memory
   * holds [L | U | k | r² | g | a block of {@link VALUE_BLOCK} right-hand sides] (see {@link simdLayout}):
   * the kernel values and the solves of every query then run there, about twice as fast. Below, null and
   * the TypeScript routines, unchanged bit for bit.
   */
  private readonly simd: SimdWorkspace | null;
  private readonly layout: SimdLayout;

  constructor(private readonly state: GpState) {
    const { n, L } = state;
    const layout = simdLayout(n);
    this.layout = layout;
    this.simd = n > SIMD_MIN_EXCLUSIVE_OBSERVATIONS ? SimdWorkspace.create(layout.size) : null;
    if (this.simd === null) {
      this.U = transpose(L, n, n);
      this.k = new Float64Array(n);
    } else {
      const M = this.simd.matrix;
      M.set(L, layout.L);
      this.U = M.subarray(layout.U, layout.U + n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) this.U[j * n + i] = L[i * n + j]!;
      this.k = M.subarray(layout.k, layout.k + n);
    }
    this.z = new Float64Array(state.d);
    this.g = this.simd === null ? new Float64Array(n) : this.simd.matrix.subarray(layout.g, layout.g + n);
    this.result = {
      mean: 0,
      variance: 0,
      dMean: new Float64Array(state.d),
      dVariance: new Float64Array(state.d),
    };
  }

  /**
   * k(x, X) and the radial factors from z = x ⊘ ℓ into `k` and g: `matern52CrossWithRadialScaled`, or
   * with the SIMD kernel r² here and the kernel's Matérn-5/2 (`k` then lies at double offset `kAt` of its
   * memory).
   */
  private crossWithRadial(k: Float64Array, kAt: number): void {
    const { state, z, g, simd } = this;
    const { n, d, Z } = state;
    const s2 = state.hyperparameters.outputscale;
    if (simd === null) {
      matern52CrossWithRadialScaled(z, Z, n, d, s2, k, g);
      return;
    }
    const M = simd.matrix;
    const r2 = this.layout.r2;
    for (let j = 0; j < n; j++) {
      const rj = j * d;
      let q = 0;
      for (let i = 0; i < d; i++) {
        const t = z[i]! - Z[rj + i]!;
        q += t * t;
      }
      M[r2 + j] = q;
    }
    simd.matern52(r2, kAt, this.layout.g, n, s2);
  }

  /** L·k = k in place (k = {@link PosteriorGradientWorkspace.k}). */
  private solveLower(): void {
    const { simd, state } = this;
    if (simd === null) forwardSolveUnrolled(state.L, 0, state.n, this.k, 0);
    else simd.solveLower(this.layout.L, state.n, this.layout.k);
  }

  /** Lᵀ·k = k in place. */
  private solveUpper(): void {
    const { simd, state } = this;
    if (simd === null) backSolveUnrolled(this.U, 0, state.n, this.k, 0);
    else simd.solveUpper(this.layout.U, state.n, this.layout.k);
  }

  /**
   * @param x length d.
   * @param out result to fill (its arrays of length d); defaults to {@link result}.
   * @throws NumericalError when x or out has the wrong length.
   */
  evaluate(x: Float64Array, out: PosteriorWithGradient = this.result): PosteriorWithGradient {
    const { state, z, k } = this;
    const { n, d, invLengthscales: il, transform: t } = state;
    if (x.length !== d || out.dMean.length !== d || out.dVariance.length !== d) {
      throw new NumericalError(`predictWithGradient: x and the output gradients must have length d = ${d}`);
    }
    const h = state.hyperparameters;
    for (let i = 0; i < d; i++) z[i] = x[i]! * il[i]!;
    this.crossWithRadial(k, this.layout.k);
    let mean = h.constantMean;
    for (let j = 0; j < n; j++) mean += k[j]! * state.alpha[j]!;
    this.accumulate(out.dMean, state.alpha, -t.std);
    this.solveLower();
    let vv = 0;
    for (let j = 0; j < n; j++) vv += k[j]! * k[j]!;
    const variance = h.outputscale - vv;
    out.mean = t.mean + t.std * mean;
    if (variance > MIN_VARIANCE) {
      out.variance = t.std * t.std * variance;
      this.solveUpper();
      this.accumulate(out.dVariance, k, 2 * t.std * t.std);
    } else {
      out.variance = t.std * t.std * MIN_VARIANCE;
      out.dVariance.fill(0);
    }
    return out;
  }

  /**
   * Mean and variance only, into `out`: one pass over X and one forward solve, half the work of
   * {@link PosteriorGradientWorkspace.evaluate}.
   *
   * @throws NumericalError when x has the wrong length.
   */
  evaluateValue(x: Float64Array, out: { mean: number; variance: number }): void {
    const { state, z, k } = this;
    const { n, d, invLengthscales: il, transform: t } = state;
    if (x.length !== d) throw new NumericalError(`predictValue: x must have length d = ${d}`);
    const h = state.hyperparameters;
    for (let i = 0; i < d; i++) z[i] = x[i]! * il[i]!;
    this.crossWithRadial(k, this.layout.k);
    let mean = h.constantMean;
    for (let j = 0; j < n; j++) mean += k[j]! * state.alpha[j]!;
    this.solveLower();
    let vv = 0;
    for (let j = 0; j < n; j++) vv += k[j]! * k[j]!;
    out.mean = t.mean + t.std * mean;
    out.variance = t.std * t.std * Math.max(h.outputscale - vv, MIN_VARIANCE);
  }

  /**
   * {@link PosteriorGradientWorkspace.evaluateValue} at the m rows of X into mean and variance (length
   * m): the means bit for bit, the variances to rounding (the forward solves run on blocks of
   * {@link VALUE_BLOCK} points with a register-blocked kernel, about three times as fast; above
   * {@link SIMD_MIN_EXCLUSIVE_OBSERVATIONS} observations in the WebAssembly SIMD kernel, about twice as
   * fast again).
   *
   * @param X m×d, row-major.
   * @throws NumericalError when X is not m×d or an output is shorter than m.
   */
  evaluateValues(X: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
    const { state, z } = this;
    const { n, d, invLengthscales: il, transform: t } = state;
    if (X.length !== m * d || mean.length < m || variance.length < m) {
      throw new NumericalError(`predictValues: X must hold m×d = ${m}×${d} numbers and the outputs m`);
    }
    const h = state.hyperparameters;
    const { simd } = this;
    const rows = this.layout.block;
    // The right-hand sides of a block: in the kernel's memory, or a plain buffer.
    // Without the SIMD kernel, L and the block in one plain buffer laid out as the kernel's memory.
    const dots: FourByTwoDots = simd ?? new ScalarDots(new Float64Array(rows + VALUE_BLOCK * n));
    if (simd === null) dots.matrix.set(state.L);
    const block = dots.matrix.subarray(rows, rows + VALUE_BLOCK * n);
    for (let j0 = 0; j0 < m; j0 += VALUE_BLOCK) {
      const mb = Math.min(VALUE_BLOCK, m - j0);
      for (let r = 0; r < mb; r++) {
        const x = X.subarray((j0 + r) * d, (j0 + r + 1) * d);
        for (let i = 0; i < d; i++) z[i] = x[i]! * il[i]!;
        const k = block.subarray(r * n, (r + 1) * n);
        this.crossWithRadial(k, rows + r * n);
        let mu = h.constantMean;
        for (let j = 0; j < n; j++) mu += k[j]! * state.alpha[j]!;
        mean[j0 + r] = t.mean + t.std * mu;
      }
      if (simd === null) solveLowerRows(dots, n, rows, mb, unrolledSolve);
      else solveLowerRows(dots, n, rows, mb);
      for (let r = 0; r < mb; r++) {
        let vv = 0;
        const ro = r * n;
        for (let j = 0; j < n; j++) vv += block[ro + j]! * block[ro + j]!;
        variance[j0 + r] = t.std * t.std * Math.max(h.outputscale - vv, MIN_VARIANCE);
      }
    }
  }

  /**
   * Exact posterior means at the m rows of X and an upper bound on their variances, in O(m·n·d): the
   * variance given the single most informative observation j, s² − k(x, xⱼ)²/(s² + Dⱼ), which
   * conditioning on the other observations can only reduce. Tight at and near observed points of a
   * low-noise GP; what a cheap filter on marginal posteriors needs before any O(n²) solve.
   *
   * @param X m×d, row-major.
   * @throws NumericalError when X is not m×d or an output is shorter than m.
   */
  evaluateMeansAndVarianceBounds(
    X: Float64Array,
    m: number,
    mean: Float64Array,
    varianceBound: Float64Array,
  ): void {
    const { state, z, k } = this;
    const { n, d, invLengthscales: il, transform: t, diagonal } = state;
    if (X.length !== m * d || mean.length < m || varianceBound.length < m) {
      throw new NumericalError(`predictMeansAndVarianceBounds: X must hold m×d = ${m}×${d} numbers`);
    }
    const h = state.hyperparameters;
    const s2 = h.outputscale;
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < d; i++) z[i] = X[r * d + i]! * il[i]!;
      this.crossWithRadial(k, this.layout.k);
      let mu = h.constantMean;
      let explained = 0;
      for (let j = 0; j < n; j++) {
        const kj = k[j]!;
        mu += kj * state.alpha[j]!;
        explained = Math.max(explained, (kj * kj) / (s2 + diagonal[j]!));
      }
      mean[r] = t.mean + t.std * mu;
      varianceBound[r] = t.std * t.std * Math.max(s2 - explained, MIN_VARIANCE);
    }
  }

  /** outᵢ = scale·Σⱼ cⱼ gⱼ (zᵢ − Z_ji)/ℓᵢ, i.e. −scale·Σⱼ cⱼ ∂kⱼ/∂xᵢ. */
  private accumulate(out: Float64Array, c: Float64Array, scale: number): void {
    const { n, d, Z, invLengthscales: il } = this.state;
    const { z, g } = this;
    out.fill(0);
    for (let j = 0; j < n; j++) {
      const w = c[j]! * g[j]!;
      const rj = j * d;
      for (let i = 0; i < d; i++) out[i]! += w * (z[i]! - Z[rj + i]!);
    }
    for (let i = 0; i < d; i++) out[i] = out[i]! * scale * il[i]!;
  }
}

/**
 * Double offsets in the SIMD kernel's memory of a {@link PosteriorGradientWorkspace} over n observations:
 * L (n×n) at 0, U = Lᵀ (n×n), the vector k (n), r² and the radial factors g (n each), the block of
 * right-hand sides (VALUE_BLOCK×n); `size` in all.
 */
interface SimdLayout {
  L: number;
  U: number;
  k: number;
  r2: number;
  g: number;
  block: number;
  size: number;
}

function simdLayout(n: number): SimdLayout {
  const nn = n * n;
  const k = 2 * nn;
  return { L: 0, U: nn, k, r2: k + n, g: k + 2 * n, block: k + 3 * n, size: k + 3 * n + VALUE_BLOCK * n };
}

/** Points whose forward solves {@link PosteriorGradientWorkspace.evaluateValues} runs together (L2-sized). */
const VALUE_BLOCK = 16;

function unrolledSolve(M: Float64Array, n: number, o: number): void {
  forwardSolveUnrolled(M, 0, n, M, o);
}
