import { smallCholeskyInPlace, smallCholeskySolveInPlace } from "../linalg/index.js";

const MAX_DUAL_ITERATIONS = 200;

/**
 * Euclidean projection onto Ω = {z : l ≤ z ≤ u, A z ≤ b} for a handful of linear inequalities
 * (A: k × n row-major), solved exactly through its k-dimensional dual. For multipliers λ ≥ 0 the
 * box-constrained minimizer of the Lagrangian is z(λ) = clip(y − Aᵀλ, l, u), and the dual
 * θ(λ) = ½‖z(λ) − y‖² + λᵀ(A z(λ) − b) is concave and piecewise quadratic, with gradient
 * r = A z(λ) − b. It is maximized over λ ≥ 0 by an active-set Newton method: a Newton direction on the
 * rows not held at λᵢ = 0 (Hessian −A_F A_Fᵀ over the coordinates F free in z(λ), with a tiny ridge),
 * then an exact line search along it (the dual is piecewise quadratic along a line, so its maximizer
 * is found by walking the breakpoints), cut where a multiplier reaches 0. Each step increases θ, so it
 * is robust to singular Newton systems and far starts; the last λ warm-starts the next call.
 *
 * Feasibility is then made exact with respect to a feasible reference point: the result is moved back
 * along the segment toward `ref` until every row holds up to rounding, so it is feasible whenever ref is.
 */
export class PolytopeProjector {
  private readonly lambda: Float64Array;
  private readonly delta: Float64Array;
  private readonly r: Float64Array;
  private readonly H: Float64Array;
  private readonly rows: Int32Array;
  private readonly tol: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly sol: Float64Array;
  private readonly eventT: Float64Array;
  private readonly eventDs: Float64Array;
  private readonly eventOrder: Int32Array;

  /**
   * @param A k × n row-major. @param b length k. Bounds may be infinite; lower ≤ upper.
   */
  constructor(
    readonly n: number,
    readonly k: number,
    private readonly lower: Float64Array,
    private readonly upper: Float64Array,
    private readonly A: Float64Array,
    private readonly b: Float64Array,
  ) {
    this.lambda = new Float64Array(k);
    this.delta = new Float64Array(k);
    this.r = new Float64Array(k);
    this.H = new Float64Array(k * k);
    this.rows = new Int32Array(k);
    this.tol = new Float64Array(k);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
    this.sol = new Float64Array(k);
    this.eventT = new Float64Array(2 * n);
    this.eventDs = new Float64Array(2 * n);
    this.eventOrder = new Int32Array(2 * n);
  }

  /**
   * Writes the projection of y onto Ω into out (out may not alias y). With a feasible ref, out is
   * then feasible up to rounding (each row within 1e-12 relative).
   * @returns the largest row violation max(A out − b)₊ left.
   */
  project(y: Float64Array, out: Float64Array, ref?: Float64Array): number {
    this.setTolerances(y);
    this.dual(y, out);
    for (let it = 0; it < MAX_DUAL_ITERATIONS && !this.optimal(); it++) {
      if (!this.ascend()) break;
      this.dual(y, out);
    }
    if (ref !== undefined) this.pullToward(ref, out);
    return this.violation(out);
  }

  /** Largest row violation max(A z − b)₊. */
  violation(z: Float64Array): number {
    let worst = 0;
    for (let i = 0; i < this.k; i++) worst = Math.max(worst, this.rowDot(i, z) - this.b[i]!);
    return worst;
  }

  /** Largest α ≥ 0 with x + αd ∈ Ω (rows already violated at x are not made worse). */
  maxStep(x: Float64Array, d: Float64Array): number {
    let alpha = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.n; j++) {
      const dj = d[j]!;
      if (dj > 0) alpha = Math.min(alpha, Math.max(0, this.upper[j]! - x[j]!) / dj);
      else if (dj < 0) alpha = Math.min(alpha, Math.max(0, this.lower[j]! - x[j]!) / dj);
    }
    for (let i = 0; i < this.k; i++) {
      const ad = this.rowDot(i, d);
      if (ad > 0) alpha = Math.min(alpha, Math.max(0, this.b[i]! - this.rowDot(i, x)) / ad);
    }
    return alpha;
  }

  private rowDot(i: number, z: Float64Array): number {
    const off = i * this.n;
    let s = 0;
    for (let j = 0; j < this.n; j++) s += this.A[off + j]! * z[j]!;
    return s;
  }

  /** v = y − Aᵀλ, z = clip(v), r = A z − b. */
  private dual(y: Float64Array, z: Float64Array): void {
    const { n, k, A, lambda, v } = this;
    for (let j = 0; j < n; j++) {
      let vj = y[j]!;
      for (let i = 0; i < k; i++) vj -= A[i * n + j]! * lambda[i]!;
      v[j] = vj;
      z[j] = Math.min(this.upper[j]!, Math.max(this.lower[j]!, vj));
    }
    for (let i = 0; i < k; i++) this.r[i] = this.rowDot(i, z) - this.b[i]!;
  }

  private setTolerances(y: Float64Array): void {
    let yMax = 1;
    for (let j = 0; j < this.n; j++) if (Number.isFinite(y[j]!)) yMax = Math.max(yMax, Math.abs(y[j]!));
    for (let i = 0; i < this.k; i++) {
      let s = Math.abs(this.b[i]!);
      for (let j = 0; j < this.n; j++) s += Math.abs(this.A[i * this.n + j]!) * yMax;
      this.tol[i] = 1e-13 * s;
    }
  }

  /** KKT of the dual: λ ≥ 0, r ≤ tol, and |r| ≤ tol where λ > 0. */
  private optimal(): boolean {
    for (let i = 0; i < this.k; i++) {
      const ri = this.r[i]!;
      if (ri > this.tol[i]! || (this.lambda[i]! > 0 && ri < -this.tol[i]!)) return false;
    }
    return true;
  }

  /** One ascent step on θ; false when no ascent direction remains (or the dual is unbounded). */
  private ascend(): boolean {
    const { k, lambda, delta, r } = this;
    if (!this.newtonDirection()) {
      // Projected gradient: always an ascent direction away from the KKT point.
      for (let i = 0; i < k; i++) delta[i] = lambda[i]! > 0 || r[i]! > 0 ? r[i]! : 0;
    }
    let tMax = Number.POSITIVE_INFINITY;
    let blocking = -1;
    for (let i = 0; i < k; i++) {
      if (delta[i]! < 0 && lambda[i]! / -delta[i]! < tMax) {
        tMax = lambda[i]! / -delta[i]!;
        blocking = i;
      }
    }
    const t = this.exactStep(tMax);
    if (!(t > 0) || t === Number.POSITIVE_INFINITY) return false;
    for (let i = 0; i < k; i++) lambda[i] = Math.max(0, lambda[i]! + t * delta[i]!);
    if (t === tMax && blocking >= 0) lambda[blocking] = 0;
    return true;
  }

  /**
   * Newton direction on the working rows W (λᵢ > 0, or λᵢ = 0 with rᵢ > 0): (A_WF A_WFᵀ + μI)Δ_W = r_W.
   * Rows at λᵢ = 0 that the solution would push negative leave W and the system is solved again.
   * @returns false when no usable ascent direction was found.
   */
  private newtonDirection(): boolean {
    const { k, lambda, r, rows, delta } = this;
    let na = 0;
    for (let i = 0; i < k; i++) if (lambda[i]! > 0 || r[i]! > this.tol[i]!) rows[na++] = i;
    while (na > 0) {
      if (!this.solveNewton(na)) return false;
      let kept = 0;
      for (let a = 0; a < na; a++) {
        const i = rows[a]!;
        if (!(lambda[i] === 0 && delta[i]! < 0)) rows[kept++] = i;
      }
      if (kept === na) break;
      na = kept;
    }
    if (na === 0) return false;
    let ascent = 0;
    for (let i = 0; i < k; i++) ascent += delta[i]! * r[i]!;
    return ascent > 0;
  }

  /** Fills delta (zero outside rows[0, na)) from the ridge-regularized Newton system. */
  private solveNewton(na: number): boolean {
    const { n, A, rows, H, v, delta } = this;
    H.fill(0, 0, na * na);
    for (let j = 0; j < n; j++) {
      if (!(v[j]! > this.lower[j]! && v[j]! < this.upper[j]!)) continue;
      for (let a = 0; a < na; a++) {
        const aa = A[rows[a]! * n + j]!;
        for (let c = 0; c <= a; c++) H[a * na + c]! += aa * A[rows[c]! * n + j]!;
      }
    }
    let scale = 0;
    for (let a = 0; a < na; a++) {
      let norm2 = 0;
      for (let j = 0; j < n; j++) norm2 += A[rows[a]! * n + j]! ** 2;
      scale = Math.max(scale, norm2);
    }
    // The ridge keeps the system solvable when a row has (almost) no free coordinates.
    const ridge = 1e-10 * scale + 1e-300;
    for (let a = 0; a < na; a++) H[a * na + a]! += ridge;
    if (!smallCholeskyInPlace(H, na)) return false;
    const sol = this.sol;
    for (let a = 0; a < na; a++) sol[a] = this.r[rows[a]!]!;
    smallCholeskySolveInPlace(H, na, sol);
    delta.fill(0);
    for (let a = 0; a < na; a++) delta[rows[a]!] = sol[a]!;
    return true;
  }

  /**
   * argmax of ψ(t) = θ(λ + tΔ) over [0, tMax]. ψ′(t) = Σⱼ wⱼ zⱼ(t) − Δᵀb with w = AᵀΔ and
   * zⱼ(t) = clip(vⱼ − t wⱼ) is piecewise linear and nonincreasing: walk its breakpoints to its root.
   */
  private exactStep(tMax: number): number {
    const { n, k, A, delta, v, w, eventT, eventDs } = this;
    let s = 0;
    for (let i = 0; i < k; i++) s -= delta[i]! * this.b[i]!;
    let slope = 0;
    let m = 0;
    for (let j = 0; j < n; j++) {
      let wj = 0;
      for (let i = 0; i < k; i++) wj += A[i * n + j]! * delta[i]!;
      w[j] = wj;
      if (wj === 0) continue;
      s += wj * Math.min(this.upper[j]!, Math.max(this.lower[j]!, v[j]!));
      const tu = (v[j]! - this.upper[j]!) / wj;
      const tl = (v[j]! - this.lower[j]!) / wj;
      const enter = Math.min(tu, tl);
      const leave = Math.max(tu, tl);
      if (!(leave > 0)) continue;
      if (enter <= 0) slope -= wj * wj;
      else {
        eventT[m] = enter;
        eventDs[m++] = -wj * wj;
      }
      if (leave < Number.POSITIVE_INFINITY) {
        eventT[m] = leave;
        eventDs[m++] = wj * wj;
      }
    }
    if (!(s > 0)) return 0;
    const order = this.eventOrder.subarray(0, m);
    for (let e = 0; e < m; e++) order[e] = e;
    order.sort((a, b) => eventT[a]! - eventT[b]!);
    let t = 0;
    for (const e of order) {
      const te = eventT[e]!;
      if (te >= tMax) break;
      const sEnd = s + slope * (te - t);
      if (sEnd <= 0) return t + s / -slope;
      s = sEnd;
      t = te;
      slope += eventDs[e]!;
    }
    return slope < 0 ? Math.min(tMax, t + s / -slope) : tMax;
  }

  /**
   * Moves z toward ref until no row is violated by more than rounding (1e-12 relative) or than at ref.
   * Violations at the rounding level are left alone: pulling them back would collapse steps along
   * active constraints to zero.
   */
  private pullToward(ref: Float64Array, z: Float64Array): void {
    let t = 1;
    for (let i = 0; i < this.k; i++) {
      const az = this.rowDot(i, z);
      const aRef = this.rowDot(i, ref);
      const limit = Math.max(this.b[i]! + this.roundingSlack(i, z), aRef);
      if (az > limit) t = Math.min(t, (limit - aRef) / (az - aRef));
    }
    if (t >= 1) return;
    t = Math.max(0, t);
    for (let j = 0; j < this.n; j++) {
      const v = ref[j]! + t * (z[j]! - ref[j]!);
      z[j] = Math.min(this.upper[j]!, Math.max(this.lower[j]!, v));
    }
  }

  /** 1e-12 (|bᵢ| + Σⱼ |aᵢⱼ| max(1, |zⱼ|)): far above rounding in aᵢᵀz, far below 1e-9. */
  private roundingSlack(i: number, z: Float64Array): number {
    let s = Math.abs(this.b[i]!);
    for (let j = 0; j < this.n; j++) s += Math.abs(this.A[i * this.n + j]!) * Math.max(1, Math.abs(z[j]!));
    return 1e-12 * s;
  }
}
