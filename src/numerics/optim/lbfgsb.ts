import { NumericalError } from "../../errors.js";
import { dot } from "../linalg/index.js";
import { CauchyWorkspace, generalizedCauchyPoint } from "./cauchy-point.js";
import { norm2 } from "./dense.js";
import { LbfgsMemory } from "./lbfgs-memory.js";
import { type LineFunction, strongWolfeLineSearch } from "./line-search.js";
import {
  type MinimizeOptions,
  type MinimizeResult,
  type ObjectiveFunction,
  type ResolvedOptions,
  resolveOptions,
  TerminationReason,
} from "./options.js";
import { PolytopeProjector } from "./polytope-projection.js";
import { ModelStepWorkspace, projectedModelStep } from "./projected-model-step.js";
import { SubspaceWorkspace, subspaceMinimization } from "./subspace-minimization.js";

const EPS = 2.220446049250313e-16;
/** Line-search constants of scipy's L-BFGS-B (ftol, gtol of dcsrch) and its per-search evaluation cap. */
const C1 = 1e-3;
const C2 = 0.9;
const LINE_SEARCH_EVALUATIONS = 20;

const MESSAGES: Record<TerminationReason, string> = {
  GRADIENT_TOLERANCE: "converged: projected gradient norm ≤ gradientTolerance",
  FUNCTION_TOLERANCE: "converged: relative reduction of f ≤ relativeFunctionTolerance",
  MAX_ITERATIONS: "stopped: maxIterations reached",
  MAX_EVALUATIONS: "stopped: maxEvaluations reached",
  LINE_SEARCH_FAILED:
    "stopped: the line search found no decrease, even along the projected steepest descent direction (f may be too noisy, its gradient wrong, or x at the limit of precision)",
  NON_FINITE_START: "stopped: f or its gradient is not finite at the (projected) start point",
};

/**
 * Minimizes a smooth f over the box lower ≤ x ≤ upper, optionally intersected with linear
 * inequalities A x ≤ b, by limited-memory quasi-Newton steps with analytic gradients.
 *
 * Algorithm. With bounds only, this is L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995, with the subspace
 * step of Morales and Nocedal 2011): compact limited-memory BFGS matrix, generalized Cauchy point
 * along the projected gradient path, direct primal subspace minimization over the free variables, and
 * a strong Wolfe line search (c₁ = 1e-3, c₂ = 0.9) capped at the largest feasible step. With linear
 * inequalities, each step instead minimizes the same quadratic model over the polytope by spectral
 * projected gradient iterations, with exact Euclidean projections onto box ∩ {Ax ≤ b} (an active-set
 * Newton method on the k-dimensional dual, see PolytopeProjector), and searches along the resulting
 * feasible direction (a limited-memory projected quasi-Newton method, Schmidt et al. 2009). When a
 * step fails the memory is reset and a projected steepest-descent step is tried before giving up.
 * Where f is flat up to rounding, steps may be accepted on their slopes (never on an increase of f).
 *
 * Contract. x0 is projected onto the box (and the polytope). Only steps with sufficient decrease are
 * accepted, so the result is never worse than the projected start, every returned point satisfies the
 * bounds exactly (active bounds hold with equality) and, when the projected start satisfies A x ≤ b,
 * the constraints up to rounding. Non-finite f or gradient at a trial point shrinks the step; at the
 * start point it ends the run (reason NON_FINITE_START) with x the projected start.
 *
 * @param f value and gradient in one call (see {@link ObjectiveFunction}).
 * @param x0 start point, length n ≥ 1, finite.
 * @throws RangeError on inconsistent shapes or options.
 * @throws NumericalError when no point satisfies both the bounds and the linear inequalities.
 * @example
 * const r = minimizeBounded((x, g) => { g[0] = 2 * (x[0]! - 2); return (x[0]! - 2) ** 2; },
 *   [0], { lower: [0], upper: [1] }); // r.x[0] === 1, r.converged
 */
export function minimizeBounded(
  f: ObjectiveFunction,
  x0: Float64Array | number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  return new BoundedSolver(f, resolveOptions(x0, options)).run(x0);
}

/** Iteration state; also the line function φ(α) = f(x + αd) for the line search. */
class BoundedSolver implements LineFunction {
  slope = 0;
  private readonly n: number;
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private fx = Number.NaN;
  private readonly d: Float64Array;
  private readonly xt: Float64Array;
  private readonly gt: Float64Array;
  private readonly xBest: Float64Array;
  private readonly gBest: Float64Array;
  private fTrial = Number.NaN;
  private fKept = Number.NaN;
  private readonly xbar: Float64Array;
  private readonly xcp: Float64Array;
  private readonly c: Float64Array;
  private readonly mem: LbfgsMemory;
  private readonly cauchy: CauchyWorkspace;
  private readonly subspace: SubspaceWorkspace;
  private readonly model: ModelStepWorkspace | undefined;
  private readonly projector: PolytopeProjector | undefined;
  private evaluations = 0;
  private iterations = 0;

  constructor(
    private readonly f: ObjectiveFunction,
    private readonly o: ResolvedOptions,
  ) {
    const n = o.n;
    this.n = n;
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
    this.d = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
    this.xBest = new Float64Array(n);
    this.gBest = new Float64Array(n);
    this.xbar = new Float64Array(n);
    this.xcp = new Float64Array(n);
    this.c = new Float64Array(2 * o.memory);
    this.mem = new LbfgsMemory(n, o.memory);
    this.cauchy = new CauchyWorkspace(n, o.memory);
    this.subspace = new SubspaceWorkspace(n, o.memory);
    if (o.linear !== undefined) {
      const { A, b, k } = o.linear;
      this.projector = new PolytopeProjector(n, k, o.lower, o.upper, A, b);
      this.model = new ModelStepWorkspace(n, o.memory);
    }
  }

  run(x0: ArrayLike<number>): MinimizeResult {
    this.start(x0);
    this.fx = this.call(this.x, this.g);
    if (!Number.isFinite(this.fx) || !this.g.every(Number.isFinite)) {
      return this.result(TerminationReason.NON_FINITE_START, Number.NaN);
    }
    for (;;) {
      const pg = this.projectedGradientNorm();
      if (pg <= this.o.gradientTolerance) return this.result(TerminationReason.GRADIENT_TOLERANCE, pg);
      if (this.iterations >= this.o.maxIterations) return this.result(TerminationReason.MAX_ITERATIONS, pg);
      if (this.evaluations >= this.o.maxEvaluations)
        return this.result(TerminationReason.MAX_EVALUATIONS, pg);
      const fOld = this.fx;
      const outcome = this.step(pg);
      if (outcome === "failed") {
        if (this.mem.count > 0) {
          this.mem.reset();
          continue;
        }
        const reason =
          this.evaluations >= this.o.maxEvaluations
            ? TerminationReason.MAX_EVALUATIONS
            : TerminationReason.LINE_SEARCH_FAILED;
        return this.result(reason, pg);
      }
      this.iterations++;
      const scale = Math.max(Math.abs(fOld), Math.abs(this.fx), 1);
      // A step accepted on slopes made progress that f is too coarse to show: no verdict from f.
      if (outcome === "decrease" && fOld - this.fx <= this.o.relativeFunctionTolerance * scale) {
        return this.result(TerminationReason.FUNCTION_TOLERANCE, this.projectedGradientNorm());
      }
    }
  }

  /** φ(α) for the line search, evaluated into the trial buffers. */
  evaluate(alpha: number): number {
    const { n, x, d, xt, gt } = this;
    const { lower, upper } = this.o;
    for (let j = 0; j < n; j++) {
      const dj = d[j]!;
      let v = x[j]! + alpha * dj;
      // Land exactly on a bound the step reaches up to rounding, so active bounds hold with equality.
      const slack = 2 * EPS * (Math.abs(x[j]!) + Math.abs(alpha * dj));
      if (dj > 0 && v >= upper[j]! - slack) v = upper[j]!;
      else if (dj < 0 && v <= lower[j]! + slack) v = lower[j]!;
      xt[j] = Math.min(upper[j]!, Math.max(lower[j]!, v));
    }
    this.fTrial = this.call(xt, gt);
    this.slope = dot(gt, d, n);
    return this.fTrial;
  }

  /** Saves the trial point the line search just accepted as its best so far. */
  keep(): void {
    this.xBest.set(this.xt);
    this.gBest.set(this.gt);
    this.fKept = this.fTrial;
  }

  private call(x: Float64Array, g: Float64Array): number {
    this.evaluations++;
    return this.f(x, g);
  }

  /** Projects x0 onto the box, then onto the polytope. */
  private start(x0: ArrayLike<number>): void {
    const { lower, upper } = this.o;
    for (let j = 0; j < this.n; j++) this.x[j] = Math.min(upper[j]!, Math.max(lower[j]!, x0[j]!));
    if (this.projector === undefined || this.projector.violation(this.x) === 0) return;
    this.xt.set(this.x);
    const violation = this.projector.project(this.xt, this.x);
    if (violation > 1e-9 * (1 + Math.abs(this.projector.violation(this.xt)))) {
      throw new NumericalError(
        `minimizeBounded: no point satisfies both the bounds and the ${this.projector.k} linear inequalities A x ≤ b (closest point found violates a row by ${violation}); check A, b and the bounds.`,
      );
    }
  }

  /**
   * One iteration: direction, line search, update. @returns "failed" when no acceptable step was
   * found, "flat" when the step was accepted on slopes because f is flat up to rounding.
   */
  private step(pg: number): "decrease" | "flat" | "failed" {
    const alphaMax = this.projector === undefined ? this.boxDirection() : this.polytopeDirection(pg);
    const gd = dot(this.g, this.d, this.n);
    if (!(gd < 0) || !(alphaMax > 0)) return "failed";
    let alpha0 = Math.min(1, alphaMax);
    if (this.mem.count === 0 && !this.o.boxed && this.projector === undefined) {
      // Without curvature information or a box to limit it, the first trial moves x by length 1.
      const unit = 1 / norm2(this.d, this.n);
      if (unit > 0 && unit < Number.POSITIVE_INFINITY) alpha0 = Math.min(unit, alphaMax);
    }
    const remaining = this.o.maxEvaluations - this.evaluations;
    const search = strongWolfeLineSearch(this, this.fx, gd, alpha0, alphaMax, {
      c1: C1,
      c2: C2,
      maxEvaluations: Math.min(LINE_SEARCH_EVALUATIONS, remaining),
    });
    if (search.status === "failed" || !(this.fKept <= this.fx)) return "failed";
    this.accept();
    return search.approximate ? "flat" : "decrease";
  }

  /** Moves to the remembered best trial point and updates the memory with s = Δx, y = Δg. */
  private accept(): void {
    const { n, x, g, xt, gt, xBest, gBest } = this;
    for (let j = 0; j < n; j++) {
      xt[j] = xBest[j]! - x[j]!;
      gt[j] = gBest[j]! - g[j]!;
    }
    x.set(xBest);
    g.set(gBest);
    this.fx = this.fKept;
    this.mem.update(xt, gt);
  }

  /** L-BFGS-B direction d = x̄ − x; returns the largest step keeping x + αd in the box. */
  private boxDirection(): number {
    const { n, x, g, d, xbar, xcp, c, mem } = this;
    const { lower, upper } = this.o;
    generalizedCauchyPoint(x, g, lower, upper, mem, xcp, c, this.cauchy);
    if (!subspaceMinimization(x, g, lower, upper, mem, xcp, c, xbar, this.subspace)) return 0;
    let alphaMax = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const dj = xbar[j]! - x[j]!;
      d[j] = dj;
      if (dj > 0) alphaMax = Math.min(alphaMax, (upper[j]! - x[j]!) / dj);
      else if (dj < 0) alphaMax = Math.min(alphaMax, (lower[j]! - x[j]!) / dj);
    }
    return alphaMax;
  }

  /** Projected quasi-Newton direction d = z − x; returns the largest feasible step along it. */
  private polytopeDirection(pg: number): number {
    const { n, x, g, d, xbar } = this;
    const projector = this.projector!;
    const tolerance = Math.max(0.01 * pg, 0.1 * this.o.gradientTolerance);
    projectedModelStep(x, g, this.mem, projector, tolerance, xbar, this.model!);
    for (let j = 0; j < n; j++) d[j] = xbar[j]! - x[j]!;
    // x and z are feasible, so all of [x, z] is: a ratio test below 1 only reflects rounding.
    return Math.max(1, projector.maxStep(x, d));
  }

  /** ‖P(x − g) − x‖∞, P the projection onto the feasible set. */
  private projectedGradientNorm(): number {
    const { n, x, g, xt, xcp } = this;
    const { lower, upper } = this.o;
    let norm = 0;
    if (this.projector === undefined) {
      for (let j = 0; j < n; j++) {
        const p = Math.min(upper[j]!, Math.max(lower[j]!, x[j]! - g[j]!));
        norm = Math.max(norm, Math.abs(p - x[j]!));
      }
      return norm;
    }
    for (let j = 0; j < n; j++) xt[j] = x[j]! - g[j]!;
    this.projector.project(xt, xcp);
    for (let j = 0; j < n; j++) norm = Math.max(norm, Math.abs(xcp[j]! - x[j]!));
    return norm;
  }

  private result(reason: TerminationReason, gradientNorm: number): MinimizeResult {
    return {
      x: Float64Array.from(this.x),
      f: this.fx,
      gradientNorm,
      iterations: this.iterations,
      evaluations: this.evaluations,
      converged:
        reason === TerminationReason.GRADIENT_TOLERANCE || reason === TerminationReason.FUNCTION_TOLERANCE,
      reason,
      message: MESSAGES[reason],
    };
  }
}
