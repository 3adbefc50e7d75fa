import { luFactorInPlace, luSolveInPlace } from "./dense.js";
import type { LbfgsMemory } from "./lbfgs-memory.js";

/** Scratch space for {@link subspaceMinimization}, sized for dimension n and memory m. */
export class SubspaceWorkspace {
  readonly free: Int32Array;
  readonly r: Float64Array;
  readonly du: Float64Array;
  readonly Mc: Float64Array;
  readonly v: Float64Array;
  readonly N: Float64Array;
  readonly piv: Int32Array;
  constructor(n: number, m: number) {
    this.free = new Int32Array(n);
    this.r = new Float64Array(n);
    this.du = new Float64Array(n);
    this.Mc = new Float64Array(2 * m);
    this.v = new Float64Array(2 * m);
    this.N = new Float64Array(4 * m * m);
    this.piv = new Int32Array(2 * m);
  }
}

/**
 * Subspace minimization of L-BFGS-B by the direct primal method (Byrd, Lu, Nocedal and Zhu 1995,
 * section 5.1): with the variables at a bound in the Cauchy point xcp held fixed, minimizes the
 * quadratic model over the free variables (a reduced Newton step, inverted through
 * Sherman–Morrison–Woodbury; when no variable is fixed this is the quasi-Newton point x − Hg from the
 * two-loop recursion), then, as in Morales and Nocedal (2011), projects the unconstrained
 * subspace minimizer onto the box and keeps it when it gives a descent direction from x, else
 * backtracks it into the box along the subspace step.
 *
 * Writes the result into xbar (starting from a copy of xcp).
 * @returns false when the reduced system is numerically singular (the caller should reset memory).
 */
export function subspaceMinimization(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  mem: LbfgsMemory,
  xcp: Float64Array,
  c: Float64Array,
  xbar: Float64Array,
  ws: SubspaceWorkspace,
): boolean {
  const n = mem.n;
  xbar.set(xcp.subarray(0, n));
  let nf = 0;
  for (let i = 0; i < n; i++) if (xcp[i]! > lower[i]! && xcp[i]! < upper[i]!) ws.free[nf++] = i;
  if (nf === 0) return true;
  const { free, du } = ws;
  if (nf === n) {
    // Nothing is fixed: the model's minimizer over all variables is the quasi-Newton point x − Hg,
    // which the two-loop recursion gives in O(mn) instead of a 2c × 2c factorization.
    mem.hv(g, du);
    for (let i = 0; i < n; i++) du[i] = x[i]! - du[i]! - xcp[i]!;
  } else {
    reducedGradient(x, g, mem, xcp, c, nf, ws);
    if (!reducedNewtonStep(mem, nf, ws)) return false;
  }
  let descent = 0;
  for (let k = 0; k < nf; k++) {
    const i = free[k]!;
    const xi = Math.min(upper[i]!, Math.max(lower[i]!, xcp[i]! + du[k]!));
    xbar[i] = xi;
  }
  for (let i = 0; i < n; i++) descent += (xbar[i]! - x[i]!) * g[i]!;
  if (descent < 0) return true;
  let alpha = 1;
  for (let k = 0; k < nf; k++) {
    const i = free[k]!;
    const dk = du[k]!;
    if (dk > 0) alpha = Math.min(alpha, (upper[i]! - xcp[i]!) / dk);
    else if (dk < 0) alpha = Math.min(alpha, (lower[i]! - xcp[i]!) / dk);
  }
  for (let k = 0; k < nf; k++) {
    const i = free[k]!;
    xbar[i] = Math.min(upper[i]!, Math.max(lower[i]!, xcp[i]! + alpha * du[k]!));
  }
  return true;
}

/** r = Zᵀ(g + θ(xcp − x) − W M c), the model gradient at xcp restricted to the free variables. */
function reducedGradient(
  x: Float64Array,
  g: Float64Array,
  mem: LbfgsMemory,
  xcp: Float64Array,
  c: Float64Array,
  nf: number,
  ws: SubspaceWorkspace,
): void {
  mem.mv(c, ws.Mc);
  for (let k = 0; k < nf; k++) {
    const i = ws.free[k]!;
    ws.r[k] = g[i]! + mem.theta * (xcp[i]! - x[i]!) - mem.wRowDot(i, ws.Mc);
  }
}

/**
 * du = −B̂⁻¹ r with B̂ = θI − ZᵀW M WᵀZ, by Sherman–Morrison–Woodbury with M = K⁻¹:
 * B̂⁻¹ = I/θ + ZᵀW (K − WᵀZ ZᵀW / θ)⁻¹ WᵀZ / θ², a 2c × 2c symmetric (indefinite) solve.
 */
function reducedNewtonStep(mem: LbfgsMemory, nf: number, ws: SubspaceWorkspace): boolean {
  const c2 = 2 * mem.count;
  const theta = mem.theta;
  const { free, r, du, v, N } = ws;
  if (c2 === 0) {
    for (let k = 0; k < nf; k++) du[k] = -r[k]! / theta;
    return true;
  }
  const stride = 2 * mem.m;
  const W = mem.W;
  const invTheta = 1 / theta;
  mem.middle(N);
  v.fill(0, 0, c2);
  for (let k = 0; k < nf; k++) {
    const row = free[k]! * stride;
    const rk = r[k]!;
    for (let a = 0; a < c2; a++) {
      const wa = W[row + a]!;
      v[a]! += wa * rk;
      const scaled = wa * invTheta;
      for (let b = 0; b <= a; b++) N[a * c2 + b]! -= scaled * W[row + b]!;
    }
  }
  for (let a = 0; a < c2; a++) for (let b = 0; b < a; b++) N[b * c2 + a] = N[a * c2 + b]!;
  if (!luFactorInPlace(N, c2, ws.piv)) return false;
  luSolveInPlace(N, c2, ws.piv, v);
  const inv2 = 1 / (theta * theta);
  for (let k = 0; k < nf; k++) {
    const row = free[k]! * stride;
    let s = 0;
    for (let a = 0; a < c2; a++) s += W[row + a]! * v[a]!;
    du[k] = -r[k]! / theta - inv2 * s;
  }
  for (let k = 0; k < nf; k++) if (!Number.isFinite(du[k]!)) return false;
  return true;
}
