/**
 * Arithmetic in log space: log(1 − eˣ), log(1 + eˣ) and log Σ eˣⁱ without overflow or cancellation.
 */

/**
 * log(1 − exp(x)) for x ≤ 0, by Mächler's rule ("Accurately computing log(1 − exp(−|a|))", 2012):
 * log(−expm1(x)) for x > −log 2, where 1 − eˣ is small, and log1p(−exp(x)) below, where eˣ is small.
 * Each branch has full relative precision where the other loses it.
 *
 * @returns −Infinity at 0, NaN for x > 0.
 */
export function log1mexp(x: number): number {
  if (x > 0) return Number.NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * softplus(x) = log(1 + exp(x)), without overflow for large x (where it is x + log1p(e⁻ˣ)) or loss of
 * the tiny value for very negative x (where it is about eˣ). Its derivative is {@link sigmoid}.
 */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic sigmoid 1/(1 + e⁻ˣ), the derivative of {@link softplus}; never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * log Σᵢ exp(xᵢ) over the first n values, shifted by the maximum so no term overflows.
 *
 * @param values the xᵢ (any array-like of numbers, e.g. a Float64Array row).
 * @param n how many leading values to use; default `values.length`.
 * @returns −Infinity for an empty range or when every value is −Infinity; Infinity when one is
 *   Infinity; NaN when one is NaN.
 */
export function logsumexp(values: ArrayLike<number>, n: number = values.length): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}
