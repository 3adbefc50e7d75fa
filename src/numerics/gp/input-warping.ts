/**
 * Input warping (Snoek et al. 2014, "Input warping for Bayesian optimization of non-stationary
 * functions"): chosen unit-cube inputs go through the Kumaraswamy CDF w(x) = 1 − (1 − x̃^a)^b, with
 * x̃ = ε + (1 − 2ε)·x and per-dimension concentrations a, b > 0 fitted with the other hyperparameters.
 * a = b = 1 is the identity (up to the squeeze into [ε, 1 − ε]); a < 1 stretches the low end of the
 * dimension (detail near 0 gets more room), b < 1 the high end; a, b > 1 stretch the middle.
 *
 * The squeeze keeps x̃ away from 0 and 1, where w′ is infinite for a < 1 (at 0) or b < 1 (at 1): with
 * ε = 1e-7 and the concentrations in [0.1, 10], w′ ≤ (1 − 2ε)·a·b·ε^{−0.9}·… stays finite, so neither
 * the fit's gradient nor an acquisition optimizer's gradient at a bound of the cube overflows.
 */
import { ModelFittingError } from "../../errors.js";

/** Margin of the squeeze into [ε, 1 − ε] before the CDF (as in BoTorch's `Warp`). */
export const WARP_EPSILON = 1e-7;

/**
 * Bounds of each concentration a, b. The prior below puts 99% of its mass inside [0.1, 10]
 * (log 10 ≈ 2.66 prior standard deviations); beyond it a warp sends 90% of the dimension into a sliver
 * (x^0.1 maps [1e-7, 0.01] onto [0.2, 0.63]), which the data of a BO loop cannot tell from a shorter
 * lengthscale, while w′ at the squeezed bounds (ε^{a−1} for a < 1) grows past 10⁶ and makes the
 * acquisition surface needlessly stiff.
 */
export const WARP_BOUNDS = { concentration: [0.1, 10] } as const;

/**
 * LogNormal(0, √0.75) prior on each concentration (BoTorch's input-warping default): median 1, the
 * identity warp. Evaluated on the natural scale like the other priors (see hyperparameters.ts), its
 * maximum over log a lies at log a = −0.75 (a ≈ 0.47): with a = b = 0.47 both ends of a dimension get
 * a little more room, which is as far as the prior alone bends it; the data decide the rest.
 */
export const WARP_PRIOR = { loc: 0, scale: Math.sqrt(0.75) } as const;

/**
 * The warp of a GP: which input dimensions are warped, and the concentrations of each (parallel
 * arrays). Plain numbers, part of `GpHyperparameters`, so it serializes to JSON.
 */
export interface InputWarping {
  /** Warped input dimensions, increasing; the others pass through unchanged. */
  dimensions: number[];
  /** Concentration a of each warped dimension (stretches the low end when below 1). */
  a: number[];
  /** Concentration b of each warped dimension (stretches the high end when below 1). */
  b: number[];
}

/** w(x) and its derivatives in x, log a and log b at one point. */
export interface WarpWithDerivatives {
  value: number;
  /** ∂w/∂x (the squeeze's 1 − 2ε included). */
  dx: number;
  /** ∂w/∂log a = a·∂w/∂a. */
  dLogA: number;
  /** ∂w/∂log b = b·∂w/∂b. */
  dLogB: number;
}

/** x̃ = ε + (1 − 2ε)·x. */
function squeeze(x: number): number {
  return WARP_EPSILON + (1 - 2 * WARP_EPSILON) * x;
}

/**
 * The Kumaraswamy CDF of the squeezed x: 1 − (1 − x̃^a)^b. 1 − x̃^a is computed as −expm1(a·log x̃),
 * which keeps its digits when x̃^a is close to 1.
 */
export function kumaraswamyWarp(x: number, a: number, b: number): number {
  const complement = -Math.expm1(a * Math.log(squeeze(x)));
  return -Math.expm1(b * Math.log(complement));
}

/**
 * w(x) and its derivatives, into `out`. With t = x̃^a and q = 1 − t:
 * w = 1 − q^b, ∂w/∂x̃ = a·b·x̃^{a−1}·q^{b−1}, ∂w/∂log a = b·q^{b−1}·t·a·log x̃, ∂w/∂log b = −q^b·b·log q.
 */
export function kumaraswamyWarpWithDerivatives(
  x: number,
  a: number,
  b: number,
  out: WarpWithDerivatives,
): WarpWithDerivatives {
  const s = squeeze(x);
  const logS = Math.log(s);
  const t = Math.exp(a * logS);
  const q = -Math.expm1(a * logS);
  const logQ = Math.log(q);
  const qb = Math.exp(b * logQ);
  const qbm1 = Math.exp((b - 1) * logQ);
  out.value = -Math.expm1(b * logQ);
  out.dx = (1 - 2 * WARP_EPSILON) * a * b * Math.exp((a - 1) * logS) * qbm1;
  out.dLogA = a * b * qbm1 * t * logS;
  out.dLogB = -b * qb * logQ;
  return out;
}

/**
 * A warp ready to apply: rows of inputs through it, and single points with the slope w′ per dimension
 * for the chain rule of input gradients.
 */
export class InputWarp {
  readonly dimensions: Int32Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly scratch: WarpWithDerivatives = { value: 0, dx: 0, dLogA: 0, dLogB: 0 };

  constructor(warping: InputWarping) {
    this.dimensions = Int32Array.from(warping.dimensions);
    this.a = Float64Array.from(warping.a);
    this.b = Float64Array.from(warping.b);
  }

  /**
   * A fresh copy of the rows of X (length a multiple of d, any count) with the warped columns warped.
   */
  warpRows(X: Float64Array, d: number): Float64Array {
    const out = Float64Array.from(X);
    const rows = Math.floor(X.length / d);
    const { dimensions, a, b } = this;
    for (let r = 0; r < rows; r++) {
      const row = r * d;
      for (let k = 0; k < dimensions.length; k++) {
        const i = row + dimensions[k]!;
        out[i] = kumaraswamyWarp(X[i]!, a[k]!, b[k]!);
      }
    }
    return out;
  }

  /**
   * Writes w(x) into `out` (length d, the unwarped coordinates copied) and w′(x) into `slopes` (length
   * d, 1 for the unwarped ones). Allocation-free.
   */
  warpPoint(x: Float64Array, out: Float64Array, slopes: Float64Array): void {
    out.set(x);
    slopes.fill(1);
    const { dimensions, a, b, scratch } = this;
    for (let k = 0; k < dimensions.length; k++) {
      const i = dimensions[k]!;
      kumaraswamyWarpWithDerivatives(x[i]!, a[k]!, b[k]!, scratch);
      out[i] = scratch.value;
      slopes[i] = scratch.dx;
    }
  }
}

/**
 * Checks an input warping against the input dimension d.
 *
 * @throws ModelFittingError unless the dimensions are distinct increasing integers in [0, d) and a, b
 *   hold one positive finite concentration per dimension.
 */
export function checkInputWarping(warping: InputWarping, d: number, routine: string): void {
  const { dimensions, a, b } = warping;
  const positive = (v: number) => typeof v === "number" && v > 0 && Number.isFinite(v);
  const ok =
    Array.isArray(dimensions) &&
    Array.isArray(a) &&
    Array.isArray(b) &&
    a.length === dimensions.length &&
    b.length === dimensions.length &&
    dimensions.every(
      (i, k) => Number.isInteger(i) && i >= 0 && i < d && (k === 0 || i > dimensions[k - 1]!),
    ) &&
    a.every(positive) &&
    b.every(positive);
  if (!ok) {
    throw new ModelFittingError(
      `${routine}: inputWarping must list increasing input dimensions in [0, ${d}) with one positive ` +
        `concentration a and b each; got ${JSON.stringify(warping)}`,
    );
  }
}

/**
 * Checks the dimensions a fit is asked to warp.
 *
 * @throws ModelFittingError unless they are distinct increasing integers in [0, d).
 */
export function checkWarpedDimensions(dimensions: readonly number[], d: number, routine: string): void {
  const ok = dimensions.every(
    (i, k) => Number.isInteger(i) && i >= 0 && i < d && (k === 0 || i > dimensions[k - 1]!),
  );
  if (!ok) {
    throw new ModelFittingError(
      `${routine}: the warped input dimensions must be increasing integers in [0, ${d}); got ` +
        `${JSON.stringify(dimensions)}`,
    );
  }
}
