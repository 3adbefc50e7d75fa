import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { inferReferencePoint } from "../../../src/numerics/pareto/index.js";

describe("inferReferencePoint", () => {
  it("is the nadir minus 10% of the front's range per objective", () => {
    const front = Float64Array.of(0, 10, 4, 6, 10, 0);
    expect([...inferReferencePoint(front, 3, 2)]).toEqual([-1, -1]);
    const front3 = Float64Array.of(1, 2, 3, 3, 2, 1);
    const r = inferReferencePoint(front3, 2, 3, { scale: 0.5 });
    expect(r[0]).toBe(0);
    expect(r[2]).toBe(0);
    // A flat objective gets a margin of scale·1e-7, so the front still dominates the reference point.
    expect(r[1]).toBeCloseTo(2 - 0.5e-7, 15);
  });

  it("keeps a margin for a single point and a flat objective", () => {
    const single = inferReferencePoint(Float64Array.of(-5, 2), 1, 2);
    expect(single[0]).toBeCloseTo(-5.5, 12);
    expect(single[1]).toBeCloseTo(1.8, 12);
    const flat = inferReferencePoint(Float64Array.of(0, 1, 0, 2), 2, 2);
    expect(flat[0]).toBeLessThan(0);
    expect(flat[0]).toBeGreaterThan(-1e-6);
  });

  it("uses known coordinates as given and infers the others", () => {
    const front = Float64Array.of(0, 10, 10, 0);
    expect([...inferReferencePoint(front, 2, 2, { known: [3, null] })]).toEqual([3, -1]);
    expect([...inferReferencePoint(new Float64Array(0), 0, 2, { known: [3, 4] })]).toEqual([3, 4]);
  });

  it("refuses an empty front with an unknown coordinate", () => {
    expect(() => inferReferencePoint(new Float64Array(0), 0, 2, { known: [3, null] })).toThrow(
      NumericalError,
    );
    expect(() => inferReferencePoint(new Float64Array(0), 0, 2)).toThrow(/give its threshold/);
  });
});
