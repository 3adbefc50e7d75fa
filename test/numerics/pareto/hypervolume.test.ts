import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { hypervolume } from "../../../src/numerics/pareto/index.js";
import { Rng } from "../../../src/util/rng.js";

const rows = (...r: number[][]) => Float64Array.from(r.flat());

/** Independent exact check: inclusion–exclusion over every subset of boxes [r, yᵢ]. */
function inclusionExclusion(Y: Float64Array, n: number, m: number, r: readonly number[]): number {
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    let size = 0;
    let vol = 1;
    for (let k = 0; k < m; k++) {
      let low = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) low = Math.min(low, Y[i * m + k]!);
      vol *= Math.max(low - r[k]!, 0);
    }
    for (let i = 0; i < n; i++) if (mask & (1 << i)) size++;
    total += size % 2 === 1 ? vol : -vol;
  }
  return total;
}

/** Monte Carlo estimate over the box [r, max Y] and its standard error. */
function monteCarlo(
  Y: Float64Array,
  n: number,
  m: number,
  r: readonly number[],
  samples: number,
  seed: number,
) {
  const rng = new Rng(seed);
  const upper = r.map((rk, k) => Math.max(rk, ...Array.from({ length: n }, (_, i) => Y[i * m + k]!)));
  const boxVolume = upper.reduce((v, u, k) => v * (u - r[k]!), 1);
  const u = new Float64Array(m);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < m; k++) u[k] = r[k]! + rng.next() * (upper[k]! - r[k]!);
    for (let i = 0; i < n; i++) {
      let inside = true;
      for (let k = 0; k < m && inside; k++) inside = u[k]! <= Y[i * m + k]!;
      if (inside) {
        hits++;
        break;
      }
    }
  }
  const p = hits / samples;
  // The floor of a few hits covers p near 0 or 1, where the binomial standard error vanishes.
  const se = Math.sqrt(Math.max(p * (1 - p), 3 / samples) / samples) * boxVolume;
  return { estimate: p * boxVolume, se };
}

describe("hypervolume", () => {
  it("2-D: the staircase area", () => {
    // Boxes [0,1]×[0,3] ∪ [0,2]×[0,2] ∪ [0,3]×[0,1] = 3 + 2 + 1.
    expect(hypervolume(rows([1, 3], [2, 2], [3, 1]), 3, 2, [0, 0])).toBe(6);
    expect(hypervolume(rows([1, 2], [2, 1]), 2, 2, [0, 0])).toBe(3);
    // Against a shifted reference point: [0.5, 1]×[0.5, 2] ∪ [0.5, 2]×[0.5, 1].
    expect(hypervolume(rows([1, 2], [2, 1]), 2, 2, [0.5, 0.5])).toBeCloseTo(0.75 + 0.75 - 0.25, 14);
  });

  it("3-D and 4-D: hand-computed unions of boxes", () => {
    expect(hypervolume(rows([2, 3, 4]), 1, 3, [0, 0, 0])).toBe(24);
    // [0,2]×[0,1]×[0,1] ∪ [0,1]×[0,2]×[0,1] ∪ [0,1]×[0,1]×[0,2] = 3·2 − 3·1 + 1 = 4.
    expect(hypervolume(rows([2, 1, 1], [1, 2, 1], [1, 1, 2]), 3, 3, [0, 0, 0])).toBe(4);
    // Unit 4-cube plus its four extensions by 1 along each axis: 1 + 4·1.
    const Y4 = rows([2, 1, 1, 1], [1, 2, 1, 1], [1, 1, 2, 1], [1, 1, 1, 2]);
    expect(hypervolume(Y4, 4, 4, [0, 0, 0, 0])).toBe(5);
    expect(hypervolume(rows([1, 1, 1, 1]), 1, 4, [-1, -1, -1, -1])).toBe(16);
  });

  it("ignores dominated rows and rows not strictly better than the reference point", () => {
    const base = hypervolume(rows([1, 3], [3, 1]), 2, 2, [0, 0]);
    expect(hypervolume(rows([1, 3], [3, 1], [1, 1], [0.5, 0.5]), 4, 2, [0, 0])).toBe(base);
    expect(hypervolume(rows([1, 3], [3, 1], [5, 0], [-1, 9]), 4, 2, [0, 0])).toBe(base);
    expect(hypervolume(rows([-1, -1]), 1, 2, [0, 0])).toBe(0);
    expect(hypervolume(new Float64Array(0), 0, 3, [0, 0, 0])).toBe(0);
    expect(hypervolume(rows([4], [7]), 2, 1, [1])).toBe(6);
  });

  it("refuses a reference point of the wrong length or a non-finite one", () => {
    expect(() => hypervolume(rows([1, 2]), 1, 2, [0])).toThrow(NumericalError);
    expect(() => hypervolume(rows([1, 2]), 1, 2, [0, Number.NEGATIVE_INFINITY])).toThrow(/must be finite/);
  });

  const front = (m: number, maxN: number) =>
    fc
      .integer({ min: 1, max: maxN })
      .chain((n) =>
        fc
          .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * m, maxLength: n * m })
          .map((v) => ({ n, Y: Float64Array.from(v) })),
      );

  for (const m of [3, 4]) {
    it(`${m}-D: equals inclusion–exclusion and agrees with Monte Carlo (property)`, () => {
      const r = new Array<number>(m).fill(-1);
      fc.assert(
        fc.property(front(m, 8), fc.integer({ min: 0, max: 1000 }), ({ n, Y }, seed) => {
          const exact = hypervolume(Y, n, m, r);
          expect(exact).toBeCloseTo(inclusionExclusion(Y, n, m, r), 10);
          const mc = monteCarlo(Y, n, m, r, 4000, seed);
          // 5 standard errors: a false alarm has probability below 1e-6 per case.
          expect(Math.abs(exact - mc.estimate)).toBeLessThanOrEqual(5 * mc.se);
        }),
        { seed: 11, numRuns: 60 },
      );
    });
  }

  it("does not depend on the order of the objectives or of the rows", () => {
    const rng = new Rng(3);
    const n = 40;
    const m = 4;
    const Y = Float64Array.from({ length: n * m }, () => rng.next());
    const r = [0.1, 0.2, 0.05, 0];
    const value = hypervolume(Y, n, m, r);
    const permuted = new Float64Array(n * m);
    const perm = [2, 0, 3, 1];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) permuted[(n - 1 - i) * m + k] = Y[i * m + perm[k]!]!;
    }
    expect(
      hypervolume(
        permuted,
        n,
        m,
        perm.map((p) => r[p]!),
      ),
    ).toBeCloseTo(value, 12);
    expect(value).toBeGreaterThan(0);
  });
});
