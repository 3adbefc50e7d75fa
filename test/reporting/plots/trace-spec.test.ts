import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stepCorners } from "../../../src/reporting/plots/trace-spec.js";

/** The value a `step-after` line through `rows` shows at `x`: that of the last row at or before it. */
function stepValue(rows: readonly { x: number; value: number }[], x: number): number | undefined {
  let value: number | undefined;
  for (const r of rows) if (r.x <= x) value = r.value;
  return value;
}

describe("stepCorners", () => {
  it("keeps the first row, every change and the last row", () => {
    const line = [5, 5, 5, 3, 3, 2, 2, 2].map((value, x) => ({ x, value, series: "Best" }));
    expect(stepCorners(line).map((r) => [r.x, r.value])).toEqual([
      [0, 5],
      [3, 3],
      [5, 2],
      [7, 2],
    ]);
    expect(stepCorners([])).toEqual([]);
    expect(stepCorners(line.slice(0, 1))).toEqual(line.slice(0, 1));
  });

  it("draws the same step line at every x of the original rows", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }), (values) => {
        const line = values.map((value, x) => ({ x, value }));
        const corners = stepCorners(line) as typeof line;
        for (const { x } of line) expect(stepValue(corners, x)).toBe(stepValue(line, x));
        expect(corners.at(-1)?.x).toBe(line.at(-1)?.x);
      }),
    );
  });
});
