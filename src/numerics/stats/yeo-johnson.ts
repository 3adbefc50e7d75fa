/**
 * The Yeo-Johnson power transform (Yeo & Johnson 2000) and the maximum-likelihood fit of its λ, the
 * family sklearn's `PowerTransformer` uses: a monotone map of the real line that, for a suitable λ,
 * makes skewed or heavy-tailed values look normal. λ = 1 is the identity; λ < 1 compresses the upper
 * tail, λ > 1 the lower one.
 */

/** Below this |λ| (or |λ − 2|) the closed forms divide by ~0: the limit (a logarithm) is used. */
const LAMBDA_EPS = 1e-12;

/** Range searched for λ: wider than any value real data needs, narrow enough that ψ stays finite. */
export const YEO_JOHNSON_LAMBDA_RANGE: readonly [number, number] = [-10, 10];

/** ψ(x; λ), the Yeo-Johnson transform of one value. */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) {
    return Math.abs(lambda) < LAMBDA_EPS ? Math.log1p(x) : Math.expm1(lambda * Math.log1p(x)) / lambda;
  }
  const p = 2 - lambda;
  return Math.abs(p) < LAMBDA_EPS ? -Math.log1p(-x) : -Math.expm1(p * Math.log1p(-x)) / p;
}

/** dψ/dx at x: (1 + x)^(λ−1) for x ≥ 0, (1 − x)^(1−λ) below; always positive. */
export function yeoJohnsonDerivative(x: number, lambda: number): number {
  return x >= 0 ? Math.exp((lambda - 1) * Math.log1p(x)) : Math.exp((1 - lambda) * Math.log1p(-x));
}

/**
 * ψ⁻¹(t; λ). Only values in the image of ψ have an inverse ({@link yeoJohnsonImage}); others give NaN,
 * so a caller clips first.
 */
export function yeoJohnsonInverse(t: number, lambda: number): number {
  if (t >= 0) {
    return Math.abs(lambda) < LAMBDA_EPS ? Math.expm1(t) : Math.expm1(Math.log1p(lambda * t) / lambda);
  }
  const p = 2 - lambda;
  return Math.abs(p) < LAMBDA_EPS ? -Math.expm1(-t) : -Math.expm1(Math.log1p(-p * t) / p);
}

/**
 * The image of ψ(·; λ) as [low, high]: ψ is bounded above by −1/λ when λ < 0 and below by 1/(2 − λ)
 * when λ > 2, unbounded otherwise.
 */
export function yeoJohnsonImage(lambda: number): [number, number] {
  if (lambda < 0) return [-Infinity, -1 / lambda];
  if (lambda > 2) return [1 / (2 - lambda), Infinity];
  return [-Infinity, Infinity];
}

/**
 * The profile log-likelihood of λ for values x under a normal model of ψ(x; λ) with its own mean and
 * variance: −n/2 · log(var ψ) + (λ − 1) · Σ sign(xᵢ) log(1 + |xᵢ|) (the Jacobian term).
 */
export function yeoJohnsonLogLikelihood(x: Float64Array, lambda: number): number {
  const n = x.length;
  let mean = 0;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = yeoJohnson(x[i]!, lambda);
    mean += t[i]!;
  }
  mean /= n;
  let ss = 0;
  let jacobian = 0;
  for (let i = 0; i < n; i++) {
    ss += (t[i]! - mean) ** 2;
    jacobian += Math.sign(x[i]!) * Math.log1p(Math.abs(x[i]!));
  }
  return (-n / 2) * Math.log(ss / n) + (lambda - 1) * jacobian;
}

/**
 * The λ that maximizes {@link yeoJohnsonLogLikelihood} over {@link YEO_JOHNSON_LAMBDA_RANGE}, by
 * golden-section search to a tolerance of 1e-10 (the profile likelihood is unimodal in λ). Values with
 * no spread, or fewer than two, give λ = 1 (the identity): there is nothing to fit.
 */
export function fitYeoJohnsonLambda(x: Float64Array): number {
  if (x.length < 2 || x.every((v) => v === x[0])) return 1;
  const f = (lambda: number) => {
    const value = yeoJohnsonLogLikelihood(x, lambda);
    return Number.isFinite(value) ? value : -Infinity;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = YEO_JOHNSON_LAMBDA_RANGE;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-10) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
