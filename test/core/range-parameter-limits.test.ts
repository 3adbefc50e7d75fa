import { describe, expect, it } from "vitest";
import { ParameterType, RangeParameter } from "../../src/core/index.js";
import { SearchSpaceError } from "../../src/errors.js";
import { catchError } from "./helpers.js";

const float = (lower: number, upper: number) =>
  new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower, upper });
const int = (lower: number, upper: number) =>
  new RangeParameter({ name: "k", parameterType: ParameterType.INT, lower, upper });

describe("RangeParameter bounds that cannot be represented", () => {
  it("refuses a range whose width overflows, naming the parameter", () => {
    const e = catchError(() => float(-1e308, 1e308), SearchSpaceError);
    expect(e.parameter).toBe("x");
    expect(e.message).toContain('Range parameter "x"');
    expect(e.message).toContain("width");
    expect(() => float(-Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(SearchSpaceError);
  });

  it("accepts wide ranges whose width is still a finite number", () => {
    expect(float(-1e307, 1e307).upper).toBe(1e307);
    expect(float(0, Number.MAX_VALUE).upper).toBe(Number.MAX_VALUE);
  });

  it("refuses INT bounds beyond ±(2^53 − 1), where integers are not exact", () => {
    const e = catchError(() => int(0, 2 ** 60), SearchSpaceError);
    expect(e.parameter).toBe("k");
    expect(e.message).toContain(String(Number.MAX_SAFE_INTEGER));
    expect(() => int(-(2 ** 53), 0)).toThrow(SearchSpaceError);
    expect(() => int(0, 1e308)).toThrow(SearchSpaceError);
  });

  it("accepts INT bounds up to the largest safe integer", () => {
    const k = int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect([k.lower, k.upper]).toEqual([-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
  });
});
