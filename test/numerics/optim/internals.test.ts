import { describe, expect, it } from "vitest";
import {
  CauchyWorkspace,
  generalizedCauchyPoint,
  sortByBreakpoint,
} from "../../../src/numerics/optim/cauchy-point.js";
import { LbfgsMemory } from "../../../src/numerics/optim/lbfgs-memory.js";
import { strongWolfeLineSearch } from "../../../src/numerics/optim/line-search.js";
import { PolytopeProjector } from "../../../src/numerics/optim/polytope-projection.js";
import { Rng } from "../../../src/util/rng.js";
import { maxAbsDiff, rowViolation } from "./problems.js";

const randomVector = (rng: Rng, n: number): Float64Array =>
  Float64Array.from({ length: n }, () => rng.normal());

/** A memory filled with pairs (s, y = G s) of a random SPD G, so every pair has positive curvature. */
function filledMemory(rng: Rng, n: number, m: number, pairs: number): LbfgsMemory {
  const R = Array.from({ length: n * n }, () => rng.normal());
  const mem = new LbfgsMemory(n, m);
  for (let p = 0; p < pairs; p++) {
    const s = randomVector(rng, n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = s[i]!;
      for (let j = 0; j < n; j++)
        for (let l = 0; l < n; l++) v += (R[l * n + i]! * R[l * n + j]! * s[j]!) / n;
      y[i] = v;
    }
    expect(mem.update(s, y)).toBe(true);
  }
  return mem;
}

describe("LbfgsMemory", () => {
  it.each([1, 3, 10, 14])("compact B and two-loop H are inverses after %i pairs (m = 10)", (pairs) => {
    const rng = new Rng(pairs);
    const n = 12;
    const mem = filledMemory(rng, n, 10, pairs);
    expect(mem.count).toBe(Math.min(pairs, 10));
    const v = randomVector(rng, n);
    const Hv = new Float64Array(n);
    const BHv = new Float64Array(n);
    mem.hv(v, Hv);
    mem.bv(Hv, BHv, new Float64Array(20), new Float64Array(20));
    expect(maxAbsDiff(BHv, v)).toBeLessThan(1e-9 * Math.max(1, ...Array.from(v, Math.abs)));
  });

  it("rejects a pair without positive curvature and keeps the others", () => {
    const rng = new Rng(9);
    const mem = filledMemory(rng, 4, 5, 2);
    expect(mem.update(Float64Array.from([1, 0, 0, 0]), Float64Array.from([-1, 0, 0, 0]))).toBe(false);
    expect(mem.count).toBe(2);
  });
});

describe("sortByBreakpoint", () => {
  it("orders indices by breakpoint stably, in place and by copy (above 64), leaving the rest of order alone", () => {
    const rng = new Rng(11);
    for (const count of [0, 1, 2, 10, 64, 65, 200]) {
      // Breakpoints on a coarse grid, so ties are common and stability is tested.
      const t = Float64Array.from({ length: count + 5 }, () => Math.floor(rng.next() * 8) / 4 + 0.25);
      const order = new Int32Array(count + 5).fill(-7);
      const picked = Array.from({ length: count + 5 }, (_, i) => i).filter(() => rng.next() < 0.8);
      const indices = picked.slice(0, count);
      order.set(indices);
      const expected = indices
        .map((i, position) => ({ i, position }))
        .sort((a, b) => (t[a.i] === t[b.i] ? a.position - b.position : t[a.i]! < t[b.i]! ? -1 : 1))
        .map((e) => e.i);
      sortByBreakpoint(order, indices.length, t);
      expect(Array.from(order.subarray(0, indices.length))).toEqual(expected);
      expect(Array.from(order.subarray(indices.length)).every((v) => v === -7)).toBe(true);
    }
  });
});

describe("generalizedCauchyPoint", () => {
  it.each([9, 100])(
    "with B = I is the projection of x − g onto the box (the exact minimizer of the separable model), n = %i",
    (n) => {
      const rng = new Rng(4);
      const lower = new Float64Array(n).fill(-1);
      const upper = new Float64Array(n).fill(1);
      const mem = new LbfgsMemory(n, 5);
      for (let trial = 0; trial < 20; trial++) {
        const x = Float64Array.from({ length: n }, () => 2 * rng.next() - 1);
        x[0] = 1; // one variable at a bound
        const g = randomVector(rng, n);
        const xcp = new Float64Array(n);
        generalizedCauchyPoint(x, g, lower, upper, mem, xcp, new Float64Array(10), new CauchyWorkspace(n, 5));
        const expected = Float64Array.from(x, (xi, j) => Math.min(1, Math.max(-1, xi - g[j]!)));
        expect(maxAbsDiff(xcp, expected)).toBeLessThan(1e-12);
      }
    },
  );
});

describe("PolytopeProjector", () => {
  /** Dykstra's alternating projections onto the box and each half-space: slow but simple. */
  function dykstra(y: Float64Array, A: Float64Array, b: Float64Array, lo: number, hi: number): Float64Array {
    const n = y.length;
    const k = b.length;
    const sets = k + 1;
    const increments = Array.from({ length: sets }, () => new Float64Array(n));
    let x = Float64Array.from(y);
    for (let sweep = 0; sweep < 3000; sweep++) {
      for (let s = 0; s < sets; s++) {
        const p = Float64Array.from(x, (v, j) => v + increments[s]![j]!);
        const next = Float64Array.from(p);
        if (s === k) for (let j = 0; j < n; j++) next[j] = Math.min(hi, Math.max(lo, p[j]!));
        else {
          let ap = 0;
          let aa = 0;
          for (let j = 0; j < n; j++) {
            ap += A[s * n + j]! * p[j]!;
            aa += A[s * n + j]! ** 2;
          }
          if (ap > b[s]!) for (let j = 0; j < n; j++) next[j] = p[j]! - ((ap - b[s]!) / aa) * A[s * n + j]!;
        }
        for (let j = 0; j < n; j++) increments[s]![j] = p[j]! - next[j]!;
        x = next;
      }
    }
    return x;
  }

  it("matches Dykstra's projection on random polytopes, warm-started call after call", () => {
    const rng = new Rng(6);
    const n = 6;
    const k = 3;
    const A = randomVector(rng, k * n);
    const b = Float64Array.from({ length: k }, () => rng.next());
    const lower = new Float64Array(n).fill(-1);
    const upper = new Float64Array(n).fill(1);
    const projector = new PolytopeProjector(n, k, lower, upper, A, b);
    for (let trial = 0; trial < 8; trial++) {
      const y = Float64Array.from({ length: n }, () => 2 * rng.normal());
      const z = new Float64Array(n);
      projector.project(y, z);
      expect(maxAbsDiff(z, dykstra(y, A, b, -1, 1))).toBeLessThan(1e-7);
      expect(rowViolation(A, b, z)).toBeLessThan(1e-12);
    }
  });

  it("projects onto the simplex-like set {x₁ + x₂ ≤ 1} ∩ [0, 1]² exactly", () => {
    const p = new PolytopeProjector(
      2,
      1,
      Float64Array.of(0, 0),
      Float64Array.of(1, 1),
      Float64Array.of(1, 1),
      Float64Array.of(1),
    );
    const z = new Float64Array(2);
    p.project(Float64Array.of(2, 2), z);
    expect(Array.from(z)).toEqual([0.5, 0.5]);
    p.project(Float64Array.of(3, 0.2), z);
    expect(Array.from(z)).toEqual([1, 0]);
    p.project(Float64Array.of(0.2, 0.3), z);
    expect(Array.from(z)).toEqual([0.2, 0.3]);
  });
});

describe("strongWolfeLineSearch", () => {
  function line(phi: (a: number) => [number, number]) {
    let kept = Number.NaN;
    const fn = {
      slope: 0,
      last: 0,
      evaluate(a: number) {
        const [f, g] = phi(a);
        fn.slope = g;
        fn.last = a;
        return f;
      },
      keep() {
        kept = fn.last;
      },
    };
    return { fn, kept: () => kept };
  }
  const options = { c1: 1e-4, c2: 0.9, maxEvaluations: 30 };

  it("returns a strong Wolfe step and keeps the step it returns", () => {
    // φ(α) = (α − 3)², φ(0) = 9, φ'(0) = −6: α = 1 already satisfies both conditions only loosely.
    for (const alpha0 of [0.01, 1, 10]) {
      const { fn, kept } = line((a) => [(a - 3) ** 2, 2 * (a - 3)]);
      const r = strongWolfeLineSearch(fn, 9, -6, alpha0, 100, options);
      expect(r.status).toBe("wolfe");
      expect(r.f).toBeLessThanOrEqual(9 - 1e-4 * r.alpha * 6);
      expect(Math.abs(2 * (r.alpha - 3))).toBeLessThanOrEqual(0.9 * 6);
      expect(kept()).toBe(r.alpha);
    }
  });

  it("retreats from NaN and stops at alphaMax when f still decreases there", () => {
    const { fn } = line((a) => (a > 0.5 ? [Number.NaN, Number.NaN] : [-a, -1]));
    const r = strongWolfeLineSearch(fn, 0, -1, 1, 10, options);
    expect(r.status).toBe("decrease");
    expect(r.alpha).toBeGreaterThan(0);
    expect(r.alpha).toBeLessThanOrEqual(0.5);
    const { fn: bounded } = line((a) => [-a, -1]);
    const atMax = strongWolfeLineSearch(bounded, 0, -1, 1, 3, options);
    expect(atMax.alpha).toBe(3);
  });

  it("fails without decrease when f only increases", () => {
    const { fn } = line((a) => [a, -1]); // wrong derivative: f increases along the line
    const r = strongWolfeLineSearch(fn, 0, -1, 1, 10, options);
    expect(r.status).toBe("failed");
    expect(r.alpha).toBe(0);
    expect(r.evaluations).toBeLessThanOrEqual(30);
  });
});
