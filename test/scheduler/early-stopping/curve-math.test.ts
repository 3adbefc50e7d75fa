import { describe, expect, it } from "vitest";
import {
  bestUpTo,
  type CurvePointLike,
  formatValue,
  isWorse,
  latestPoint,
  normalizeProgressions,
  ordinal,
  percentileCutoff,
  quantile,
  trialsReaching,
  valueAt,
  valuesAt,
} from "../../../src/scheduler/early-stopping/curve-math.js";

/** A curve from [progression, mean] pairs. */
function curve(...points: [number, number][]): CurvePointLike[] {
  return points.map(([progression, mean]) => ({ progression, mean, sem: null }));
}

describe("valueAt", () => {
  const c = curve([2, 10], [4, 6], [10, 0]);

  it("returns a point's own value where the curve has one", () => {
    expect(valueAt(c, 2)).toBe(10);
    expect(valueAt(c, 4)).toBe(6);
    expect(valueAt(c, 10)).toBe(0);
  });

  it("interpolates linearly between the neighbouring points", () => {
    expect(valueAt(c, 3)).toBeCloseTo(8, 12);
    expect(valueAt(c, 7)).toBeCloseTo(3, 12);
    expect(valueAt(c, 9.5)).toBeCloseTo(0.5, 12);
  });

  it("is null before the first point and after the last: no extrapolation", () => {
    expect(valueAt(c, 1.999)).toBeNull();
    expect(valueAt(c, 10.001)).toBeNull();
    expect(valueAt([], 0)).toBeNull();
  });

  it("answers a one-point curve at that point only", () => {
    expect(valueAt(curve([5, 1]), 5)).toBe(1);
    expect(valueAt(curve([5, 1]), 6)).toBeNull();
  });
});

describe("valuesAt", () => {
  it("keeps only curves that cover the progression", () => {
    const curves = new Map([
      [0, curve([0, 1], [10, 3])],
      [1, curve([0, 5], [4, 5])],
      [2, curve([6, 2], [12, 2])],
    ]);
    expect([...valuesAt(curves, 5)]).toEqual([[0, 2]]);
    expect([...valuesAt(curves, 4)]).toEqual([
      [0, 1.8],
      [1, 5],
    ]);
  });
});

describe("quantile and percentileCutoff", () => {
  it("interpolates between order statistics as numpy's default does", () => {
    const v = [4, 1, 3, 2];
    expect(quantile(v, 0)).toBe(1);
    expect(quantile(v, 1)).toBe(4);
    expect(quantile(v, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile(v, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it("refuses no values and q outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it("measures the worst percent from the top for a minimized metric and from the bottom otherwise", () => {
    const v = [0, 10, 20, 30, 40];
    expect(percentileCutoff(v, 25, true)).toBeCloseTo(30, 12);
    expect(percentileCutoff(v, 25, false)).toBeCloseTo(10, 12);
    expect(percentileCutoff(v, 50, true)).toBe(percentileCutoff(v, 50, false));
  });

  it("isWorse is strict in both directions", () => {
    expect(isWorse(2, 1, true)).toBe(true);
    expect(isWorse(1, 1, true)).toBe(false);
    expect(isWorse(0, 1, false)).toBe(true);
    expect(isWorse(1, 1, false)).toBe(false);
  });
});

describe("normalizeProgressions", () => {
  it("maps progressions to [0, 1] by the smallest and greatest over all curves", () => {
    const out = normalizeProgressions(
      new Map([
        [0, curve([10, 1], [30, 2])],
        [1, curve([10, 3], [50, 4])],
      ]),
    );
    expect(out.get(0)!.map((p) => p.progression)).toEqual([0, 0.5]);
    expect(out.get(1)!.map((p) => p.progression)).toEqual([0, 1]);
    expect(out.get(1)!.map((p) => p.mean)).toEqual([3, 4]);
  });

  it("maps a single progression value to 1 and leaves the input unchanged", () => {
    const input = new Map([[3, curve([7, 1])]]);
    expect(normalizeProgressions(input).get(3)![0]!.progression).toBe(1);
    expect(input.get(3)![0]!.progression).toBe(7);
  });
});

describe("helpers", () => {
  it("latestPoint and trialsReaching look at the last point", () => {
    const curves = new Map([
      [0, curve([1, 1], [5, 1])],
      [1, curve([1, 1])],
      [2, []],
    ]);
    expect(latestPoint(curves.get(0)!)!.progression).toBe(5);
    expect(latestPoint([])).toBeNull();
    expect(trialsReaching(curves, 5)).toEqual([0]);
    expect(trialsReaching(curves, 0)).toEqual([0, 1]);
  });

  it("formats numbers and ordinals for reasons", () => {
    expect(formatValue(0.52)).toBe("0.52");
    expect(formatValue(0.123456)).toBe("0.1235");
    expect(formatValue(1234)).toBe("1234");
    expect(formatValue(0.00001234)).toBe("1.23e-5");
    expect(ordinal(50)).toBe("50th");
    expect(ordinal(1)).toBe("1st");
    expect(ordinal(22)).toBe("22nd");
    expect(ordinal(13)).toBe("13th");
    expect(ordinal(33.3)).toBe("33.3rd");
  });
});

describe("bestUpTo", () => {
  const c = curve([1, 5], [2, 3], [3, 4], [5, 1]);

  it("is the best value reached up to the progression, its interpolated value there included", () => {
    expect(bestUpTo(c, 3, true)).toBe(3);
    expect(bestUpTo(c, 4, true)).toBe(2.5);
    expect(bestUpTo(c, 5, true)).toBe(1);
    expect(bestUpTo(c, 3, false)).toBe(5);
  });

  it("is null where the curve does not reach", () => {
    expect(bestUpTo(c, 6, true)).toBeNull();
    expect(bestUpTo(c, 0.5, true)).toBeNull();
  });
});
