import type { LbfgsMemory } from "./lbfgs-memory.js";

const EPS = 2.220446049250313e-16;

/** Scratch space for {@link generalizedCauchyPoint}, sized for dimension n and memory m. */
export class CauchyWorkspace {
  readonly t: Float64Array;
  readonly d: Float64Array;
  readonly order: Int32Array;
  readonly p: Float64Array;
  readonly wb: Float64Array;
  readonly Mc: Float64Array;
  readonly Mp: Float64Array;
  readonly Mw: Float64Array;
  constructor(n: number, m: number) {
    this.t = new Float64Array(n);
    this.d = new Float64Array(n);
    this.order = new Int32Array(n);
    this.p = new Float64Array(2 * m);
    this.wb = new Float64Array(2 * m);
    this.Mc = new Float64Array(2 * m);
    this.Mp = new Float64Array(2 * m);
    this.Mw = new Float64Array(2 * m);
  }
}

/**
 * The generalized Cauchy point of L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995, algorithm CP): the first
 * local minimizer of the quadratic model m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) along the projected
 * steepest-descent path P(x − t g), t ≥ 0, found by visiting the path's breakpoints in order.
 *
 * Writes the point into xcp and c = Wᵀ(xcp − x) (length 2c) for the subspace minimization.
 * Variables that reach a bound are set to it exactly.
 */
export function generalizedCauchyPoint(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  mem: LbfgsMemory,
  xcp: Float64Array,
  c: Float64Array,
  ws: CauchyWorkspace,
): void {
  const n = mem.n;
  const c2 = 2 * mem.count;
  const { t, d, order, p } = ws;
  const nBreak = initPath(x, g, lower, upper, n, t, d, order);
  let nFree = 0;
  let dd = 0;
  for (let i = 0; i < n; i++) {
    xcp[i] = x[i]!;
    if (d[i] !== 0) nFree++;
    dd += d[i]! * d[i]!;
  }
  c.fill(0, 0, c2);
  if (nFree === 0) return;
  mem.wtv(d, p);
  mem.mv(p, ws.Mp);
  ws.Mc.fill(0, 0, c2);
  let fp = -dd;
  let fpp = mem.theta * dd - dotN(p, ws.Mp, c2);
  const fpp0 = fpp;
  let dtMin = -fp / fpp;
  let tOld = 0;
  for (let k = 0; k < nBreak; k++) {
    const b = order[k]!;
    const dt = t[b]! - tOld;
    if (dtMin < dt) break;
    // Move to breakpoint b: variable b hits its bound and leaves the path.
    const xb = d[b]! > 0 ? upper[b]! : lower[b]!;
    const zb = xb - x[b]!;
    xcp[b] = xb;
    const gb = g[b]!;
    const theta = mem.theta;
    for (let j = 0; j < c2; j++) {
      c[j]! += dt * p[j]!;
      ws.Mc[j]! += dt * ws.Mp[j]!;
      ws.wb[j] = mem.W[b * 2 * mem.m + j]!;
    }
    mem.mv(ws.wb, ws.Mw);
    const wMw = dotN(ws.wb, ws.Mw, c2);
    fp += dt * fpp + gb * gb + theta * gb * zb - gb * dotN(ws.wb, ws.Mc, c2);
    fpp -= theta * gb * gb + 2 * gb * dotN(ws.wb, ws.Mp, c2) + gb * gb * wMw;
    // Cancellation can make f'' tiny or negative although B is positive definite.
    fpp = Math.max(EPS * fpp0, fpp);
    for (let j = 0; j < c2; j++) {
      p[j]! += gb * ws.wb[j]!;
      ws.Mp[j]! += gb * ws.Mw[j]!;
    }
    d[b] = 0;
    nFree--;
    tOld = t[b]!;
    dtMin = nFree === 0 ? 0 : -fp / fpp;
  }
  dtMin = Math.max(dtMin, 0);
  const tEnd = tOld + dtMin;
  for (let i = 0; i < n; i++) {
    if (d[i] !== 0) xcp[i] = Math.min(upper[i]!, Math.max(lower[i]!, x[i]! + tEnd * d[i]!));
  }
  for (let j = 0; j < c2; j++) c[j]! += dtMin * p[j]!;
}

/**
 * Breakpoints tᵢ of the projected path and its initial direction d = −g (zero for variables that
 * cannot move); sorts the finite positive breakpoints into order[0, count).
 */
function initPath(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  n: number,
  t: Float64Array,
  d: Float64Array,
  order: Int32Array,
): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    let ti = Number.POSITIVE_INFINITY;
    if (gi < 0 && upper[i]! < Number.POSITIVE_INFINITY) ti = (x[i]! - upper[i]!) / gi;
    else if (gi > 0 && lower[i]! > Number.NEGATIVE_INFINITY) ti = (x[i]! - lower[i]!) / gi;
    t[i] = ti;
    d[i] = ti <= 0 ? 0 : -gi;
    if (ti > 0 && ti < Number.POSITIVE_INFINITY) order[count++] = i;
  }
  sortByBreakpoint(order, count, t);
  return count;
}

/**
 * Sorts order[0, count) by t ascending, stably (ties keep their index order, as Array.prototype.sort
 * would), in place: called once per iteration, where copying into an array and sorting it with a closure
 * allocated on every call. Insertion sort up to {@link INSERTION_SORT_MAX} breakpoints (acquisition and
 * GP-fit problems have a handful of variables); a copy and a merge sort above, so large problems stay
 * O(count·log count).
 */
/** Above this many breakpoints {@link sortByBreakpoint} sorts a copy instead of inserting in place. */
const INSERTION_SORT_MAX = 64;

export function sortByBreakpoint(order: Int32Array, count: number, t: Float64Array): void {
  if (count > INSERTION_SORT_MAX) {
    order.set(Array.from(order.subarray(0, count)).sort((a, b) => t[a]! - t[b]!));
    return;
  }
  for (let i = 1; i < count; i++) {
    const v = order[i]!;
    const tv = t[v]!;
    let j = i - 1;
    while (j >= 0 && t[order[j]!]! > tv) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = v;
  }
}

function dotN(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
