/**
 * The one-dimensional function searched along: φ(α) = f(x + αd). {@link evaluate} returns φ(α) and
 * leaves φ′(α) in {@link slope}; a non-finite value or slope marks α as unusable. {@link keep} is
 * called right after the evaluation of each new best acceptable point, so the caller can save it
 * (the search's result is always the last point kept).
 */
export interface LineFunction {
  evaluate(alpha: number): number;
  readonly slope: number;
  keep(): void;
}

/** Outcome of {@link strongWolfeLineSearch}. */
export interface LineSearchResult {
  /** Accepted step (0 when the search failed). */
  alpha: number;
  /** φ(alpha). */
  f: number;
  /** "wolfe": both strong Wolfe conditions hold; "decrease": only sufficient decrease (the search
   * hit alphaMax or its evaluation limit); "failed": no step with sufficient decrease was found. */
  status: "wolfe" | "decrease" | "failed";
  /** The accepted point passed sufficient decrease only in its slope form (f flat up to rounding). */
  approximate: boolean;
  evaluations: number;
}

/** Options of {@link strongWolfeLineSearch}. */
export interface LineSearchOptions {
  /** Sufficient-decrease constant c₁ (scipy's L-BFGS-B uses 1e-3). */
  c1: number;
  /** Curvature constant c₂ (0.9 for quasi-Newton methods). */
  c2: number;
  /** Largest number of evaluations of φ. */
  maxEvaluations: number;
}

const EPS = 2.220446049250313e-16;

interface Point {
  a: number;
  f: number;
  g: number;
}

/**
 * Line search for the strong Wolfe conditions, φ(α) ≤ φ(0) + c₁αφ′(0) and |φ′(α)| ≤ c₂|φ′(0)|,
 * over 0 < α ≤ alphaMax: the bracketing phase and the zoom phase of Nocedal and Wright (2006,
 * algorithms 3.5 and 3.6) with safeguarded cubic interpolation. A non-finite φ or φ′ is treated as
 * a step that went too far: the bracket's far end moves below it. When the strong Wolfe conditions
 * cannot be met within the limits, the best sufficient-decrease point is returned as "decrease".
 *
 * Where f is flat up to rounding, sufficient decrease is judged from slopes instead (the approximate
 * Wolfe condition of Hager and Zhang 2005, φ′(α) ≤ (2c₁ − 1)φ′(0), which is exact for quadratics),
 * but only for points with φ(α) ≤ φ(0): the search never accepts an increase.
 *
 * @param f0 φ(0). @param g0 φ′(0), which must be negative. @param alpha0 first trial, 0 < alpha0 ≤ alphaMax.
 */
export function strongWolfeLineSearch(
  phi: LineFunction,
  f0: number,
  g0: number,
  alpha0: number,
  alphaMax: number,
  options: LineSearchOptions,
): LineSearchResult {
  const search = new Search(phi, f0, g0, options);
  return search.run(alpha0, alphaMax);
}

class Search {
  private evaluations = 0;
  private best: Point;
  private bestApproximate = false;

  constructor(
    private readonly phi: LineFunction,
    private readonly f0: number,
    private readonly g0: number,
    private readonly options: LineSearchOptions,
  ) {
    this.best = { a: 0, f: f0, g: g0 };
  }

  run(alpha0: number, alphaMaxIn: number): LineSearchResult {
    let alphaMax = alphaMaxIn;
    let prev: Point = { a: 0, f: this.f0, g: this.g0 };
    let a = Math.min(alpha0, alphaMax);
    while (this.evaluations < this.options.maxEvaluations) {
      const cur = this.probe(a);
      if (cur === null) {
        // Unusable value: never go this far again; retreat toward the last good point.
        alphaMax = prev.a + 0.5 * (a - prev.a);
        a = prev.a + 0.1 * (a - prev.a);
        if (this.belowRounding(prev, { a, f: prev.f, g: prev.g })) break;
        continue;
      }
      if (!this.sufficient(cur) || (prev.a > 0 && cur.f >= prev.f)) return this.zoom(prev, cur);
      this.keep(cur);
      if (Math.abs(cur.g) <= -this.options.c2 * this.g0) return this.result("wolfe");
      if (cur.g >= 0) return this.zoom(cur, prev);
      if (a >= alphaMax) break;
      const next = Math.min(alphaMax, a + 4 * (a - prev.a));
      prev = cur;
      a = next;
    }
    return this.result(this.best.a > 0 ? "decrease" : "failed");
  }

  /** Zoom on the bracket (lo, hi): lo has sufficient decrease and the lowest φ; φ′(lo)(hi − lo) < 0. */
  private zoom(loIn: Point, hiIn: Point): LineSearchResult {
    let lo = loIn;
    let hi = hiIn;
    let hiUsable = Number.isFinite(hi.f) && Number.isFinite(hi.g);
    while (this.evaluations < this.options.maxEvaluations) {
      if (this.belowRounding(lo, hi)) break;
      const a = hiUsable ? cubicStep(lo, hi) : lo.a + 0.1 * (hi.a - lo.a);
      const cur = this.probe(a);
      if (cur === null) {
        hi = { a, f: Number.NaN, g: Number.NaN };
        hiUsable = false;
        continue;
      }
      if (!this.sufficient(cur) || cur.f >= lo.f) {
        hi = cur;
        hiUsable = true;
        continue;
      }
      this.keep(cur);
      if (Math.abs(cur.g) <= -this.options.c2 * this.g0) return this.result("wolfe");
      if (cur.g * (hi.a - lo.a) >= 0) {
        hi = lo;
        hiUsable = true;
      }
      lo = cur;
    }
    return this.result(this.best.a > 0 ? "decrease" : "failed");
  }

  private probe(a: number): Point | null {
    this.evaluations++;
    const f = this.phi.evaluate(a);
    const g = this.phi.slope;
    if (!Number.isFinite(f) || !Number.isFinite(g)) return null;
    return { a, f, g };
  }

  /**
   * Whether f can change along [lo, hi] by no more than its rounding error (judged from the slopes),
   * so that shrinking the bracket further cannot reveal a decrease.
   */
  private belowRounding(lo: Point, hi: Point): boolean {
    const width = Math.abs(hi.a - lo.a);
    const slope = Math.max(Math.abs(this.g0), Math.abs(lo.g), Number.isFinite(hi.g) ? Math.abs(hi.g) : 0);
    return width <= 1e-14 * Math.max(lo.a, hi.a) || width * slope <= 4 * EPS * Math.abs(this.f0);
  }

  private keep(p: Point): void {
    this.best = p;
    this.bestApproximate = !this.armijo(p);
    this.phi.keep();
  }

  private sufficient(p: Point): boolean {
    if (this.armijo(p)) return true;
    const flat = p.f <= this.f0 && this.f0 - p.f <= 1e-12 * Math.abs(this.f0);
    return flat && p.g <= (2 * this.options.c1 - 1) * this.g0;
  }

  private armijo(p: Point): boolean {
    return p.f <= this.f0 + this.options.c1 * p.a * this.g0;
  }

  private result(status: LineSearchResult["status"]): LineSearchResult {
    const ok = status !== "failed";
    return {
      alpha: ok ? this.best.a : 0,
      f: ok ? this.best.f : this.f0,
      status,
      approximate: ok && this.bestApproximate,
      evaluations: this.evaluations,
    };
  }
}

/**
 * Minimizer of the cubic interpolating φ and φ′ at both ends of the bracket, kept at least 10% of
 * the bracket away from either end (bisection when the cubic has no minimizer there).
 */
function cubicStep(lo: Point, hi: Point): number {
  const span = hi.a - lo.a;
  const d1 = lo.g + hi.g - (3 * (lo.f - hi.f)) / (lo.a - hi.a);
  const disc = d1 * d1 - lo.g * hi.g;
  let a = Number.NaN;
  if (disc >= 0) {
    const d2 = Math.sign(span) * Math.sqrt(disc);
    a = hi.a - span * ((hi.g + d2 - d1) / (hi.g - lo.g + 2 * d2));
  }
  const lower = Math.min(lo.a, hi.a) + 0.1 * Math.abs(span);
  const upper = Math.max(lo.a, hi.a) - 0.1 * Math.abs(span);
  if (!(a >= lower && a <= upper)) a = lo.a + 0.5 * span;
  return a;
}
