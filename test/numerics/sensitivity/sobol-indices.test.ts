import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { saltelliDesign, sobolIndices } from "../../../src/numerics/sensitivity/index.js";

/** Ishigami function on [−π, π]³ (a = 7, b = 0.1), inputs mapped from the unit cube. */
const A = 7;
const B = 0.1;
function ishigami(U: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const [x1, x2, x3] = [0, 1, 2].map((k) => Math.PI * (2 * U[j * 3 + k]! - 1)) as [number, number, number];
    out[j] = Math.sin(x1) + A * Math.sin(x2) ** 2 + B * x3 ** 4 * Math.sin(x1);
  }
  return out;
}

/** Analytic indices of the Ishigami function (Ishigami & Homma 1990; Sobol' & Levitan 1999). */
function ishigamiIndices() {
  const pi4 = Math.PI ** 4;
  const pi8 = Math.PI ** 8;
  const V1 = 0.5 * (1 + (B * pi4) / 5) ** 2;
  const V2 = A ** 2 / 8;
  const V13 = (8 * B ** 2 * pi8) / 225;
  const V = A ** 2 / 8 + (B * pi4) / 5 + (B ** 2 * pi8) / 18 + 0.5;
  return { first: [V1 / V, V2 / V, 0], total: [(V1 + V13) / V, V2 / V, V13 / V] };
}

describe("sobolIndices", () => {
  it("recovers the Ishigami function's analytic first-order and total indices", () => {
    const expected = ishigamiIndices();
    const { first, total, evaluations } = sobolIndices(ishigami, 3, { samples: 8192, seed: 1 });
    expect(evaluations).toBe(8192 * 5);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(first[i]! - expected.first[i]!)).toBeLessThan(0.02);
      expect(Math.abs(total[i]! - expected.total[i]!)).toBeLessThan(0.02);
    }
  });

  it("gives a linear function's indices c²ᵢ / Σc² (first = total), 0 for an irrelevant input", () => {
    const c = [3, 1, 0, 2];
    const f = (U: Float64Array, m: number) =>
      Float64Array.from({ length: m }, (_, j) => c.reduce((s, ck, k) => s + ck * U[j * 4 + k]!, 0));
    const { first, total } = sobolIndices(f, 4, { samples: 4096 });
    const sum = c.reduce((s, v) => s + v * v, 0);
    c.forEach((ck, k) => {
      expect(first[k]).toBeCloseTo((ck * ck) / sum, 2);
      expect(total[k]).toBeCloseTo((ck * ck) / sum, 2);
    });
    expect(total[2]).toBe(0);
  });

  it("is seeded: the same seed gives the same estimates, another seed other ones", () => {
    const a = sobolIndices(ishigami, 3, { samples: 256, seed: 3 });
    const b = sobolIndices(ishigami, 3, { samples: 256, seed: 3 });
    const c = sobolIndices(ishigami, 3, { samples: 256, seed: 4 });
    expect([...a.total]).toEqual([...b.total]);
    expect([...a.total]).not.toEqual([...c.total]);
  });

  it("gives zero indices for a constant function and refuses non-finite values", () => {
    const constant = sobolIndices((_U, m) => new Float64Array(m).fill(2), 2, { samples: 64 });
    expect(constant.variance).toBe(0);
    expect([...constant.total]).toEqual([0, 0]);
    expect(() => sobolIndices((_U, m) => new Float64Array(m).fill(Number.NaN), 2)).toThrow(ModelFittingError);
  });

  it("builds AB⁽ⁱ⁾ as A with column i from B", () => {
    const N = 4;
    const d = 3;
    const U = saltelliDesign(N, d, 0);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < N; j++) {
        for (let k = 0; k < d; k++) {
          const source = k === i ? N + j : j;
          expect(U[((2 + i) * N + j) * d + k]).toBe(U[source * d + k]);
        }
      }
    }
  });
});
