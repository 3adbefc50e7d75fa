import { dot } from "../linalg/index.js";
import { norm2, normInf } from "./dense.js";
import type { LbfgsMemory } from "./lbfgs-memory.js";
import type { PolytopeProjector } from "./polytope-projection.js";

const MAX_INNER_ITERATIONS = 50;

/** Scratch space for {@link projectedModelStep}, sized for dimension n and memory m. */
export class ModelStepWorkspace {
  readonly u: Float64Array;
  readonly Bu: Float64Array;
  readonly gq: Float64Array;
  readonly y: Float64Array;
  readonly trial: Float64Array;
  readonly dz: Float64Array;
  readonly Bdz: Float64Array;
  readonly t1: Float64Array;
  readonly t2: Float64Array;
  constructor(n: number, m: number) {
    this.u = new Float64Array(n);
    this.Bu = new Float64Array(n);
    this.gq = new Float64Array(n);
    this.y = new Float64Array(n);
    this.trial = new Float64Array(n);
    this.dz = new Float64Array(n);
    this.Bdz = new Float64Array(n);
    this.t1 = new Float64Array(2 * m);
    this.t2 = new Float64Array(2 * m);
  }
}

/**
 * The step of a limited-memory projected quasi-Newton method (Schmidt, van den Berg, Friedlander and
 * Murphy 2009) for a polytope Ω: approximately minimizes the quadratic model
 * q(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) over Ω by spectral projected gradient iterations with exact
 * steps along each projected direction, starting from the better of x and the projected quasi-Newton
 * point P(x − Hg). Every iterate is a convex combination of feasible points, so z is feasible, and
 * q(z) ≤ 0, so z − x is a descent direction unless it is zero.
 *
 * With an empty memory the step is the projected gradient step P(x − g/‖g‖).
 *
 * @param x feasible current point. @param g gradient at x.
 * @param tolerance stop when the model's projected-gradient measure falls below it.
 */
export function projectedModelStep(
  x: Float64Array,
  g: Float64Array,
  mem: LbfgsMemory,
  projector: PolytopeProjector,
  tolerance: number,
  z: Float64Array,
  ws: ModelStepWorkspace,
): void {
  const n = mem.n;
  const { u, Bu, gq, y, trial, dz, Bdz, t1, t2 } = ws;
  if (mem.count === 0) {
    const step = 1 / Math.max(norm2(g, n), 1e-300);
    for (let j = 0; j < n; j++) y[j] = x[j]! - step * g[j]!;
    projector.project(y, z, x);
    return;
  }
  startPoint(x, g, mem, projector, z, ws);
  let alpha = 1 / mem.theta;
  for (let it = 0; it < MAX_INNER_ITERATIONS; it++) {
    for (let j = 0; j < n; j++) {
      gq[j] = g[j]! + Bu[j]!;
      y[j] = z[j]! - alpha * gq[j]!;
    }
    projector.project(y, trial, x);
    for (let j = 0; j < n; j++) dz[j] = trial[j]! - z[j]!;
    const slope = dot(gq, dz, n);
    if (normInf(dz, n) <= tolerance * alpha || !(slope < 0)) break;
    mem.bv(dz, Bdz, t1, t2);
    const curvature = dot(dz, Bdz, n);
    const t = curvature > 0 ? Math.min(1, -slope / curvature) : 1;
    for (let j = 0; j < n; j++) {
      z[j]! += t * dz[j]!;
      u[j]! += t * dz[j]!;
      Bu[j]! += t * Bdz[j]!;
    }
    alpha = curvature > 0 ? Math.min(1e10, Math.max(1e-10, dot(dz, dz, n) / curvature)) : 1 / mem.theta;
  }
}

/** z = the better (in q) of x and the projected quasi-Newton point; sets u = z − x and Bu. */
function startPoint(
  x: Float64Array,
  g: Float64Array,
  mem: LbfgsMemory,
  projector: PolytopeProjector,
  z: Float64Array,
  ws: ModelStepWorkspace,
): void {
  const n = mem.n;
  const { u, Bu, y, t1, t2 } = ws;
  mem.hv(g, y);
  for (let j = 0; j < n; j++) y[j] = x[j]! - y[j]!;
  projector.project(y, z, x);
  for (let j = 0; j < n; j++) u[j] = z[j]! - x[j]!;
  mem.bv(u, Bu, t1, t2);
  const q = dot(g, u, n) + 0.5 * dot(u, Bu, n);
  if (q < 0) return;
  z.set(x.subarray(0, n));
  u.fill(0);
  Bu.fill(0);
}
