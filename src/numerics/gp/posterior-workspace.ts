/**
 * The single-point posterior queries an acquisition optimizer makes thousands of times, allocation-free,
 * on a compute backend chosen once for the model's size (see compute-backend.ts).
 */
import { NumericalError } from "../../errors.js";
import { backendFor, type ComputeBackend } from "./compute-backend.js";
import type { GpState } from "./gp-state.js";
import { squaredDistance } from "./kernels/kernel-matrices.js";
import { MIN_VARIANCE, type PosteriorWithGradient } from "./posterior.js";

/** Points whose forward solves {@link PosteriorGradientWorkspace.evaluateValues} runs together (L2-sized). */
const VALUE_BLOCK = 16;

/**
 * The workspace's regions: L (n×n, at 0), U = Lᵀ (n×n, so the back substitution reads contiguous rows),
 * the vector k (k(x, X), then the solves' vector), r² and the radial factors g (n each), and a block of
 * {@link VALUE_BLOCK} right-hand sides.
 */
type Region = "L" | "U" | "k" | "r2" | "g" | "block";

/**
 * Reusable buffers for the posterior and its x-gradient at one point, O(nd + n²) per call: k(x, X) and
 * the radial factors in one pass over X, then v = L⁻¹k (variance) and w = L⁻ᵀv = (K + D)⁻¹k (variance
 * gradient, ∂v/∂x = −2 wᵀ∂k/∂x).
 */
export class PosteriorGradientWorkspace {
  private readonly backend: ComputeBackend<Region>;
  private readonly z: Float64Array;
  private readonly k: Float64Array;
  private readonly g: Float64Array;
  /** The result object returned when no `out` is passed; overwritten by every call. */
  readonly result: PosteriorWithGradient;

  constructor(private readonly state: GpState) {
    const { n, d, L } = state;
    const nn = n * n;
    this.backend = backendFor(n, { L: nn, U: nn, k: n, r2: n, g: n, block: VALUE_BLOCK * n }, state.kernel);
    this.backend.region("L").set(L);
    const U = this.backend.region("U");
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j]!;
    this.k = this.backend.region("k");
    this.g = this.backend.region("g");
    this.z = new Float64Array(d);
    this.result = { mean: 0, variance: 0, dMean: new Float64Array(d), dVariance: new Float64Array(d) };
  }

  /** z = x ⊘ ℓ; then k(x, X) at offset `kAt` of the workspace and the radial factors into g. */
  private crossWithRadial(x: Float64Array, kAt: number): void {
    const { state, z, backend } = this;
    const { n, d, Z, invLengthscales: il } = state;
    for (let i = 0; i < d; i++) z[i] = x[i]! * il[i]!;
    const M = backend.memory;
    const { r2, g } = backend.at;
    for (let j = 0; j < n; j++) M[r2 + j] = squaredDistance(z, 0, Z, j, d);
    backend.covariancesWithRadial(r2, kAt, g, n, state.hyperparameters.outputscale);
  }

  /** c + k·α for the k (length n) at offset `kAt`. */
  private standardizedMean(kAt: number): number {
    const M = this.backend.memory;
    const { n, alpha } = this.state;
    let mean = this.state.hyperparameters.constantMean;
    for (let j = 0; j < n; j++) mean += M[kAt + j]! * alpha[j]!;
    return mean;
  }

  /** Σ v² for the v (length n) at offset `at`. */
  private squaredNorm(at: number): number {
    const M = this.backend.memory;
    let vv = 0;
    for (let j = 0; j < this.state.n; j++) vv += M[at + j]! * M[at + j]!;
    return vv;
  }

  private checkPoint(x: Float64Array, routine: string): void {
    if (x.length !== this.state.d)
      throw new NumericalError(`${routine}: x must have length d = ${this.state.d}`);
  }

  /**
   * @param x length d.
   * @param out result to fill (its arrays of length d); defaults to {@link result}.
   * @throws NumericalError when x or out has the wrong length.
   */
  evaluate(x: Float64Array, out: PosteriorWithGradient = this.result): PosteriorWithGradient {
    const { state, k, backend } = this;
    const { n, d, transform: t } = state;
    if (x.length !== d || out.dMean.length !== d || out.dVariance.length !== d) {
      throw new NumericalError(`predictWithGradient: x and the output gradients must have length d = ${d}`);
    }
    const { at } = backend;
    this.crossWithRadial(x, at.k);
    const mean = this.standardizedMean(at.k);
    this.accumulate(out.dMean, state.alpha, -t.std);
    backend.solveLower(at.L, n, at.k);
    const variance = state.hyperparameters.outputscale - this.squaredNorm(at.k);
    out.mean = t.mean + t.std * mean;
    if (variance > MIN_VARIANCE) {
      out.variance = t.std * t.std * variance;
      backend.solveUpper(at.U, n, at.k);
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
    this.checkPoint(x, "predictValue");
    const { state, backend } = this;
    const { at } = backend;
    const t = state.transform;
    this.crossWithRadial(x, at.k);
    const mean = this.standardizedMean(at.k);
    backend.solveLower(at.L, state.n, at.k);
    const vv = this.squaredNorm(at.k);
    out.mean = t.mean + t.std * mean;
    out.variance = t.std * t.std * Math.max(state.hyperparameters.outputscale - vv, MIN_VARIANCE);
  }

  /**
   * {@link PosteriorGradientWorkspace.evaluateValue} at the m rows of X into mean and variance (length
   * m): the means bit for bit, the variances to rounding (the forward solves run on blocks of
   * {@link VALUE_BLOCK} points, four right-hand sides at a time, about three times as fast).
   *
   * @param X m×d, row-major.
   * @throws NumericalError when X is not m×d or an output is shorter than m.
   */
  evaluateValues(X: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
    const { state, backend } = this;
    const { n, d, transform: t } = state;
    if (X.length !== m * d || mean.length < m || variance.length < m) {
      throw new NumericalError(`predictValues: X must hold m×d = ${m}×${d} numbers and the outputs m`);
    }
    const rows = backend.at.block;
    const s2 = state.hyperparameters.outputscale;
    for (let j0 = 0; j0 < m; j0 += VALUE_BLOCK) {
      const mb = Math.min(VALUE_BLOCK, m - j0);
      for (let r = 0; r < mb; r++) {
        this.crossWithRadial(X.subarray((j0 + r) * d, (j0 + r + 1) * d), rows + r * n);
        mean[j0 + r] = t.mean + t.std * this.standardizedMean(rows + r * n);
      }
      backend.solveLowerRows(n, rows, mb);
      for (let r = 0; r < mb; r++) {
        const vv = this.squaredNorm(rows + r * n);
        variance[j0 + r] = t.std * t.std * Math.max(s2 - vv, MIN_VARIANCE);
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
    const { state, k } = this;
    const { n, d, transform: t, diagonal } = state;
    if (X.length !== m * d || mean.length < m || varianceBound.length < m) {
      throw new NumericalError(`predictMeansAndVarianceBounds: X must hold m×d = ${m}×${d} numbers`);
    }
    const h = state.hyperparameters;
    const s2 = h.outputscale;
    for (let r = 0; r < m; r++) {
      this.crossWithRadial(X.subarray(r * d, (r + 1) * d), this.backend.at.k);
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
