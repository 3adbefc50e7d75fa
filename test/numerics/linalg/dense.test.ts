import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import {
  dot,
  gramLower,
  matMul,
  matVec,
  symmetricFromLower,
  transpose,
} from "../../../src/numerics/linalg/index.js";

describe("dense helpers", () => {
  const A = Float64Array.of(1, 2, 3, 4, 5, 6); // 2×3

  it("dot", () => {
    expect(dot(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6))).toBe(32);
    expect(dot(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6), 2)).toBe(14);
    expect(() => dot(Float64Array.of(1), Float64Array.of(1, 2), 2)).toThrow(NumericalError);
  });

  it("matVec: n×m · m", () => {
    expect(Array.from(matVec(A, 2, 3, Float64Array.of(1, 0, -1)))).toEqual([-2, -2]);
    const out = new Float64Array(2);
    expect(matVec(A, 2, 3, Float64Array.of(1, 1, 1), out)).toBe(out);
    expect(Array.from(out)).toEqual([6, 15]);
    expect(() => matVec(A, 3, 3, Float64Array.of(1, 1, 1))).toThrow(NumericalError);
  });

  it("matMul: (n×k)·(k×m), overwriting out", () => {
    const B = Float64Array.of(1, 0, 0, 1, 1, 1); // 3×2
    expect(Array.from(matMul(A, B, 2, 3, 2))).toEqual([4, 5, 10, 11]);
    const out = new Float64Array(4).fill(99);
    matMul(A, B, 2, 3, 2, out);
    expect(Array.from(out)).toEqual([4, 5, 10, 11]);
    expect(() => matMul(A, B, 2, 2, 3)).toThrow(/A must hold 2×2/);
  });

  it("transpose and symmetricFromLower", () => {
    expect(Array.from(transpose(A, 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    const S = Float64Array.of(1, 9, 9, 2, 3, 9, 4, 5, 6);
    expect(symmetricFromLower(S, 3)).toBe(S);
    expect(Array.from(S)).toEqual([1, 2, 4, 2, 3, 5, 4, 5, 6]);
  });

  it.each([1, 2, 5, 8])("gramLower gives the lower triangle of A·Aᵀ (m = %i), leaving the upper one", (m) => {
    const n = 7;
    const B = Float64Array.from({ length: m * n }, (_, i) => Math.sin(1.7 * i) + 0.1 * i);
    const full = matMul(B, transpose(B, m, n), m, n, m);
    const out = new Float64Array(m * m).fill(-99);
    gramLower(B, m, n, out);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (j <= i) expect(out[i * m + j]).toBeCloseTo(full[i * m + j]!, 12);
        else expect(out[i * m + j]).toBe(-99);
      }
    }
    expect(() => gramLower(B, m, n + 1)).toThrow(NumericalError);
  });
});
