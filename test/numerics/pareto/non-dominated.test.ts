import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { dominates, nonDominatedIndices, nonDominatedMask } from "../../../src/numerics/pareto/index.js";

const rows = (...r: number[][]) => Float64Array.from(r.flat());

describe("nonDominatedMask", () => {
  it("keeps the trade-offs and drops dominated rows (maximization)", () => {
    const Y = rows([1, 5], [3, 3], [5, 1], [2, 2], [3, 1], [0, 5]);
    expect(nonDominatedMask(Y, 6, 2)).toEqual([true, true, true, false, false, false]);
    expect(nonDominatedIndices(Y, 6, 2)).toEqual([0, 1, 2]);
  });

  it("keeps every copy of an optimal row, and a row dominated only by equal sums", () => {
    expect(nonDominatedMask(rows([1, 1], [1, 1], [0, 1]), 3, 2)).toEqual([true, true, false]);
    // Same floating-point sum, yet the first row dominates the second.
    expect(nonDominatedMask(rows([1e20, 0], [1e20, 1]), 2, 2)).toEqual([false, true]);
  });

  it("handles one row, no rows and more objectives", () => {
    expect(nonDominatedMask(rows([3, 4, 5]), 1, 3)).toEqual([true]);
    expect(nonDominatedMask(new Float64Array(0), 0, 3)).toEqual([]);
    const Y = rows([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]);
    expect(nonDominatedMask(Y, 5, 4)).toEqual([true, true, true, true, false]);
  });

  it("refuses malformed or non-finite input", () => {
    expect(() => nonDominatedMask(rows([1, 2, 3]), 2, 2)).toThrow(NumericalError);
    expect(() => nonDominatedMask(rows([1, Number.NaN]), 1, 2)).toThrow(/NaN at row 0, column 1/);
  });

  it("every dropped row is dominated by a kept one, and no kept row is dominated (property)", () => {
    const matrix = fc
      .record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 0, max: 25 }) })
      .chain(({ m, n }) =>
        fc
          .array(fc.integer({ min: 0, max: 4 }), { minLength: n * m, maxLength: n * m })
          .map((v) => ({ m, n, Y: Float64Array.from(v) })),
      );
    fc.assert(
      fc.property(matrix, ({ m, n, Y }) => {
        const mask = nonDominatedMask(Y, n, m);
        const row = (i: number) => Y.subarray(i * m, (i + 1) * m);
        for (let i = 0; i < n; i++) {
          const dominatedByAny = Array.from({ length: n }, (_, j) => j).some((j) =>
            dominates(row(j), row(i), m),
          );
          expect(mask[i]).toBe(!dominatedByAny);
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
