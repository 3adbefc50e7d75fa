/**
 * Slice sampling (Neal 2003, "Slice sampling", Ann. Statist. 31(3)): Markov chain draws from a density
 * known up to a constant, with no step size to tune beyond an initial interval width.
 *
 * Variant: univariate updates applied to one coordinate after another, each with "stepping out" (at most
 * m steps of width w, split at random between the two sides) and "shrinkage". Chosen over the
 * multivariate hyperrectangle variant because the targets here (GP hyperparameter posteriors in log
 * space) have coordinates of very different spreads: a univariate interval grows or shrinks to the
 * spread of its own coordinate in a few evaluations, whereas the hyperrectangle shrinks every side
 * together towards the current point, so one narrow coordinate makes the moves in all the others tiny.
 * Each univariate update leaves the target invariant (Neal's §4), so a full sweep does too.
 *
 * Bounds: the interval is cut to [lower, upper] after stepping out. Stepping out from any point of the
 * slice inside the interval produces the same interval with the same probability (Neal's argument), the
 * cut is a fixed function of that interval, so the update stays reversible for the density restricted
 * to the box.
 */
import { NumericalError } from "../../errors.js";
import type { Rng } from "../../util/rng.js";

/** Options of {@link sliceSample}. */
export interface SliceSampleOptions {
  /** Seeded source of every random choice: the same stream gives the same draws. */
  rng: Rng;
  /** Lower bounds, length p (−Infinity for none). Default: unbounded. */
  lower?: Float64Array;
  /** Upper bounds, length p (Infinity for none). Default: unbounded. */
  upper?: Float64Array;
  /** Initial interval width per coordinate (length p) or for all; about the target's spread. Default 1. */
  width?: number | Float64Array;
  /** Full sweeps discarded before the first kept draw. Default 20. */
  burnIn?: number;
  /** Full sweeps per kept draw (1 keeps every sweep). Default 1. */
  thin?: number;
  /** Stepping-out limit m of each univariate update, in widths. Default 32. */
  maxStepsOut?: number;
}

/** Result of {@link sliceSample}. */
export interface SliceSampleResult {
  /** count×p, row-major: the kept states of the chain. */
  draws: Float64Array;
  /** Evaluations of the log density, all sweeps included. */
  evaluations: number;
}

/** Shrinkage steps after which an update keeps the current value (only reachable through rounding). */
const MAX_SHRINKS = 200;

/**
 * `count` draws of a Markov chain that leaves exp(logDensity) invariant (restricted to the bounds),
 * started at x0. Successive draws are correlated; `burnIn` and `thin` trade evaluations for less
 * dependence on x0 and between draws.
 *
 * @param logDensity log of an unnormalized density of x (length p); NaN and −Infinity mean zero density.
 *   It must not keep the array it is given.
 * @param x0 length p, inside the bounds, with a finite log density; not modified.
 * @throws NumericalError when x0 is outside the bounds or its log density is not finite, or an option
 *   is out of range (count, burnIn, thin, maxStepsOut non-negative integers, positive finite widths,
 *   lengths p).
 * @example
 * const { draws } = sliceSample((x) => -0.5 * x[0]! ** 2, Float64Array.of(0), 1000, { rng: new Rng(1) });
 */
export function sliceSample(
  logDensity: (x: Float64Array) => number,
  x0: Float64Array,
  count: number,
  options: SliceSampleOptions,
): SliceSampleResult {
  const p = x0.length;
  const { lower, upper, width, burnIn, thin, maxStepsOut: m } = resolvedOptions(x0, count, options);
  let evaluations = 0;
  const density = (x: Float64Array): number => {
    evaluations++;
    const v = logDensity(x);
    return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
  };
  const x = Float64Array.from(x0);
  const current = density(x);
  if (!Number.isFinite(current)) {
    throw new NumericalError(
      `sliceSample: the log density at the start x0 = [${Array.from(x0).join(", ")}] is ${current}; ` +
        "start the chain at a point of positive density (e.g. the mode).",
    );
  }
  const chain = { x, current, lower, upper, width, m, density, rng: options.rng };
  const draws = new Float64Array(count * p);
  for (let sweep = 0, kept = 0; kept < count; sweep++) {
    for (let j = 0; j < p; j++) chain.current = updateCoordinate(chain, j);
    if (sweep + 1 >= burnIn + thin * (kept + 1)) draws.set(x, p * kept++);
  }
  return { draws, evaluations };
}

interface Chain {
  x: Float64Array;
  current: number;
  lower: Float64Array;
  upper: Float64Array;
  width: Float64Array;
  m: number;
  density: (x: Float64Array) => number;
  rng: Rng;
}

/** One univariate slice update of coordinate j (in place); returns the log density at the new state. */
function updateCoordinate(chain: Chain, j: number): number {
  const { x, rng, density } = chain;
  const x0 = x[j]!;
  // The slice level log y = log f(x) + log U, U uniform on (0, 1]: 1 − next() never is 0.
  const level = chain.current + Math.log(1 - rng.next());
  const at = (v: number): number => {
    x[j] = v;
    return density(x);
  };
  const lo = chain.lower[j]!;
  const hi = chain.upper[j]!;
  const w = chain.width[j]!;
  let left = x0 - w * rng.next();
  let right = left + w;
  let stepsLeft = Math.floor(chain.m * rng.next());
  let stepsRight = chain.m - 1 - stepsLeft;
  while (stepsLeft > 0 && left > lo && at(left) > level) {
    left -= w;
    stepsLeft--;
  }
  while (stepsRight > 0 && right < hi && at(right) > level) {
    right += w;
    stepsRight--;
  }
  left = Math.max(left, lo);
  right = Math.min(right, hi);
  for (let shrink = 0; shrink < MAX_SHRINKS; shrink++) {
    const candidate = left + (right - left) * rng.next();
    const value = at(candidate);
    if (value > level) return value;
    if (candidate < x0) left = candidate;
    else right = candidate;
  }
  x[j] = x0;
  return chain.current;
}

/** The options with their defaults filled in (bounds and widths of length p), checked. */
function resolvedOptions(x0: Float64Array, count: number, options: SliceSampleOptions) {
  const p = x0.length;
  const lower = options.lower ?? new Float64Array(p).fill(Number.NEGATIVE_INFINITY);
  const upper = options.upper ?? new Float64Array(p).fill(Number.POSITIVE_INFINITY);
  const w = options.width ?? 1;
  const width = typeof w === "number" ? new Float64Array(p).fill(w) : w;
  const steps = {
    burnIn: options.burnIn ?? 20,
    thin: options.thin ?? 1,
    maxStepsOut: options.maxStepsOut ?? 32,
  };
  const minima = { count: 0, burnIn: 0, thin: 1, maxStepsOut: 1 };
  for (const [name, v] of Object.entries({ count, ...steps })) {
    const min = minima[name as keyof typeof minima];
    if (!Number.isInteger(v) || v < min) {
      throw new NumericalError(`sliceSample: ${name} must be an integer ≥ ${min}, got ${v}.`);
    }
  }
  if (lower.length !== p || upper.length !== p || width.length !== p) {
    throw new NumericalError(
      `sliceSample: lower, upper and width must have length p = ${p} (the length of x0), got ` +
        `${lower.length}, ${upper.length}, ${width.length}.`,
    );
  }
  for (let j = 0; j < p; j++) {
    if (!(width[j]! > 0 && Number.isFinite(width[j]!))) {
      throw new NumericalError(`sliceSample: width[${j}] must be a positive finite number, got ${width[j]}.`);
    }
    if (!(x0[j]! >= lower[j]! && x0[j]! <= upper[j]!)) {
      throw new NumericalError(
        `sliceSample: x0[${j}] = ${x0[j]} is outside its bounds [${lower[j]}, ${upper[j]}]; start inside them.`,
      );
    }
  }
  return { lower, upper, width, ...steps };
}
