/**
 * Objective with its gradient, evaluated together so that they can share work: writes ∇f(x) into
 * grad (length n) and returns f(x). It must not keep or modify x. A non-finite value or gradient
 * marks x as unusable (the optimizer backs off); exceptions propagate to the caller.
 */
export type ObjectiveFunction = (x: Float64Array, grad: Float64Array) => number;

/** Linear inequality constraints A x ≤ b, with A: k × n row-major and b: length k. */
export interface LinearInequalities {
  A: Float64Array;
  b: Float64Array;
}

/** Options of {@link minimizeBounded}. */
export interface MinimizeOptions {
  /** Lower bounds, a length-n array (−Infinity for none) or one number for all; default unbounded. */
  lower?: Float64Array | number[] | number;
  /** Upper bounds, as `lower`; default unbounded. */
  upper?: Float64Array | number[] | number;
  /** Largest number of iterations (accepted steps); default 200. */
  maxIterations?: number;
  /** Largest number of objective evaluations; default unlimited. */
  maxEvaluations?: number;
  /** Stop when the projected gradient's infinity norm is at most this; default 1e-6. */
  gradientTolerance?: number;
  /** Stop when (f_prev − f) / max(|f_prev|, |f|, 1) is at most this; default 1e-10. */
  relativeFunctionTolerance?: number;
  /** Number of correction pairs m of the limited-memory matrix; default 10. */
  memory?: number;
  /** Linear inequality constraints A x ≤ b (a handful, in moderate dimension). */
  linearInequalities?: LinearInequalities;
}

/** Why {@link minimizeBounded} stopped; `converged` is true for the first two. */
export const TerminationReason = {
  GRADIENT_TOLERANCE: "GRADIENT_TOLERANCE",
  FUNCTION_TOLERANCE: "FUNCTION_TOLERANCE",
  MAX_ITERATIONS: "MAX_ITERATIONS",
  MAX_EVALUATIONS: "MAX_EVALUATIONS",
  LINE_SEARCH_FAILED: "LINE_SEARCH_FAILED",
  NON_FINITE_START: "NON_FINITE_START",
} as const;
/** Why {@link minimizeBounded} stopped. */
export type TerminationReason = (typeof TerminationReason)[keyof typeof TerminationReason];

/** Result of {@link minimizeBounded}. */
export interface MinimizeResult {
  /** Best point found (feasible; never worse than the projected start). */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** Infinity norm of the projected gradient P(x − ∇f) − x at x (NaN after NON_FINITE_START). */
  gradientNorm: number;
  /** Accepted steps. */
  iterations: number;
  /** Objective evaluations, including the one at the start. */
  evaluations: number;
  /** Whether a tolerance was met (GRADIENT_TOLERANCE or FUNCTION_TOLERANCE). */
  converged: boolean;
  reason: TerminationReason;
  /** Human-readable explanation of `reason`. */
  message: string;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedOptions {
  n: number;
  lower: Float64Array;
  upper: Float64Array;
  /** Every variable has both bounds finite. */
  boxed: boolean;
  maxIterations: number;
  maxEvaluations: number;
  gradientTolerance: number;
  relativeFunctionTolerance: number;
  memory: number;
  /** Present only when k ≥ 1. */
  linear: { A: Float64Array; b: Float64Array; k: number } | undefined;
}

/** Validates options against x0 and fills in defaults. @throws RangeError on inconsistent shapes or values. */
export function resolveOptions(x0: ArrayLike<number>, options: MinimizeOptions): ResolvedOptions {
  const n = x0.length;
  if (n < 1) throw new RangeError("minimizeBounded: x0 must have at least one entry.");
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(x0[j]!)) throw new RangeError(`minimizeBounded: x0[${j}] = ${x0[j]} is not finite.`);
  }
  const lower = bounds("lower", options.lower, n, Number.NEGATIVE_INFINITY);
  const upper = bounds("upper", options.upper, n, Number.POSITIVE_INFINITY);
  let boxed = true;
  for (let j = 0; j < n; j++) {
    if (
      !(lower[j]! <= upper[j]!) ||
      lower[j] === Number.POSITIVE_INFINITY ||
      upper[j] === Number.NEGATIVE_INFINITY
    ) {
      throw new RangeError(`minimizeBounded: bounds [${lower[j]}, ${upper[j]}] of variable ${j} are empty.`);
    }
    if (!Number.isFinite(lower[j]!) || !Number.isFinite(upper[j]!)) boxed = false;
  }
  return {
    n,
    lower,
    upper,
    boxed,
    maxIterations: count("maxIterations", options.maxIterations, 200),
    maxEvaluations: count("maxEvaluations", options.maxEvaluations, Number.POSITIVE_INFINITY),
    gradientTolerance: nonNegative("gradientTolerance", options.gradientTolerance, 1e-6),
    relativeFunctionTolerance: nonNegative(
      "relativeFunctionTolerance",
      options.relativeFunctionTolerance,
      1e-10,
    ),
    memory: Math.max(1, count("memory", options.memory, 10)),
    linear: linear(options.linearInequalities, n),
  };
}

function bounds(
  name: string,
  value: Float64Array | number[] | number | undefined,
  n: number,
  fill: number,
): Float64Array {
  if (value === undefined) return new Float64Array(n).fill(fill);
  if (typeof value === "number") return new Float64Array(n).fill(value);
  if (value.length !== n) {
    throw new RangeError(
      `minimizeBounded: ${name} has length ${value.length}, expected ${n} (the length of x0).`,
    );
  }
  return Float64Array.from(value);
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(`minimizeBounded: ${name} must be a non-negative integer, got ${value}.`);
  }
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0)) throw new RangeError(`minimizeBounded: ${name} must be ≥ 0, got ${value}.`);
  return value;
}

function linear(c: LinearInequalities | undefined, n: number): ResolvedOptions["linear"] {
  if (c === undefined || c.b.length === 0) return undefined;
  const k = c.b.length;
  if (c.A.length !== k * n) {
    throw new RangeError(
      `minimizeBounded: linearInequalities.A has ${c.A.length} entries, expected k × n = ${k} × ${n}.`,
    );
  }
  for (let i = 0; i < k * n; i++) {
    if (!Number.isFinite(c.A[i]!))
      throw new RangeError("minimizeBounded: linearInequalities.A has a non-finite entry.");
  }
  for (let i = 0; i < k; i++) {
    if (Number.isNaN(c.b[i]!)) throw new RangeError(`minimizeBounded: linearInequalities.b[${i}] is NaN.`);
  }
  return { A: Float64Array.from(c.A), b: Float64Array.from(c.b), k };
}
