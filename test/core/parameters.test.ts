import { describe, expect, it } from "vitest";
import {
  ChoiceParameter,
  FixedParameter,
  inferParameterType,
  ParameterKind,
  ParameterType,
  RangeParameter,
} from "../../src/core/index.js";
import { AscentError, SearchSpaceError } from "../../src/errors.js";
import { catchError } from "./helpers.js";

const float = (lower: number, upper: number, extra: Partial<{ logScale: boolean; digits: number }> = {}) =>
  new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower, upper, ...extra });
const int = (lower: number, upper: number) =>
  new RangeParameter({ name: "k", parameterType: ParameterType.INT, lower, upper });

describe("RangeParameter construction", () => {
  it("keeps its options and reports its kind and domain", () => {
    const p = float(1e-4, 1, { logScale: true, digits: 3 });
    expect(p.kind).toBe(ParameterKind.RANGE);
    expect([p.lower, p.upper, p.logScale, p.digits]).toEqual([1e-4, 1, true, 3]);
    expect(p.isDiscrete).toBe(false);
    expect(p.cardinality).toBe(Number.POSITIVE_INFINITY);
    expect(p.describeDomain()).toBe("FLOAT in [0.0001, 1] (log scale)");
    const k = int(2, 6);
    expect(k.isDiscrete).toBe(true);
    expect(k.cardinality).toBe(5);
    expect(k.logScale).toBe(false);
    expect(k.digits).toBeNull();
  });

  it.each([
    [3, 3],
    [5, 1],
  ])("rejects lower=%d >= upper=%d", (lower, upper) => {
    const e = catchError(() => float(lower, upper), SearchSpaceError);
    expect(e).toBeInstanceOf(AscentError);
    expect(e.name).toBe("SearchSpaceError");
    expect(e.parameter).toBe("x");
    expect(e.message).toContain('"x"');
    expect(e.message).toContain(`lower (${lower}) must be strictly less than upper (${upper})`);
    expect(e.message).toContain("FixedParameter");
  });

  it.each([
    [Number.NaN, 1],
    [0, Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY, 0],
  ])("rejects non-finite bounds lower=%d upper=%d", (lower, upper) => {
    const e = catchError(() => float(lower, upper), SearchSpaceError);
    expect(e.parameter).toBe("x");
    expect(e.message).toContain("finite numeric bounds");
    expect(e.message).toContain(`lower=${lower}, upper=${upper}`);
  });

  it("rejects bounds that are not numbers", () => {
    const e = catchError(
      () =>
        new RangeParameter({
          name: "x",
          parameterType: ParameterType.FLOAT,
          lower: "0" as unknown as number,
          upper: 1,
        }),
      SearchSpaceError,
    );
    expect(e.message).toContain("finite numeric bounds");
  });

  it.each([
    [0.5, 3],
    [0, 2.5],
  ])("rejects an INT range with fractional bounds [%d, %d]", (lower, upper) => {
    const e = catchError(() => int(lower, upper), SearchSpaceError);
    expect(e.parameter).toBe("k");
    expect(e.message).toContain(`is INT but its bounds [${lower}, ${upper}] are not integers`);
  });

  it.each([0, -1])("rejects logScale with lower = %d", (lower) => {
    const e = catchError(() => float(lower, 10, { logScale: true }), SearchSpaceError);
    expect(e.parameter).toBe("x");
    expect(e.message).toContain(`logScale but lower = ${lower}`);
    expect(e.message).toContain("lower > 0");
  });

  it.each([-1, 1.5, Number.NaN])("rejects digits = %d", (digits) => {
    const e = catchError(() => float(0, 1, { digits }), SearchSpaceError);
    expect(e.parameter).toBe("x");
    expect(e.message).toContain(`digits must be a non-negative integer, got ${digits}`);
  });

  it("accepts digits = 0", () => {
    expect(float(0, 10, { digits: 0 }).cast(2.6)).toBe(3);
  });

  it.each([ParameterType.STRING, ParameterType.BOOL])("rejects parameterType %s", (parameterType) => {
    const e = catchError(
      () => new RangeParameter({ name: "s", parameterType, lower: 0, upper: 1 }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("s");
    expect(e.message).toContain(`must have parameterType FLOAT or INT, got ${parameterType}`);
  });

  it.each(["", "a b", 'q"uote', "tab\there"])("rejects the parameter name %j", (name) => {
    const e = catchError(
      () => new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe(name);
    expect(e.message).toContain("Invalid parameter name");
    expect(e.message).toContain(JSON.stringify(name));
  });
});

describe("RangeParameter values", () => {
  it("validates type and domain", () => {
    const p = float(0, 1);
    expect(p.validate(0)).toBe(true);
    expect(p.validate(1)).toBe(true);
    expect(p.validate(0.5)).toBe(true);
    expect(p.validate(1 + 1e-15)).toBe(true); // within the round-trip tolerance
    expect(p.validate(1.001)).toBe(false);
    expect(p.validate(-0.001)).toBe(false);
    expect(p.validate("0.5")).toBe(false);
    expect(p.validate(Number.NaN)).toBe(false);
    const k = int(1, 5);
    expect(k.validate(3)).toBe(true);
    expect(k.validate(3.5)).toBe(false);
    expect(k.validate(6)).toBe(false);
  });

  it("casts INT values from strings and fractional numbers", () => {
    const k = int(0, 10);
    expect(k.cast("3")).toBe(3);
    expect(k.cast(" 7 ")).toBe(7);
    expect(k.cast(2.7)).toBe(3);
    expect(k.cast(2.2)).toBe(2);
    expect(k.cast("2.7")).toBe(3);
  });

  it.each(["abc", "", true, null, undefined, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses to cast %j to INT, naming the parameter",
    (value) => {
      const e = catchError(() => int(0, 10).cast(value), SearchSpaceError);
      expect(e.parameter).toBe("k");
      expect(e.message).toContain('Parameter "k" expects a value of type INT');
    },
  );

  it("rounds FLOAT values to digits when casting", () => {
    const p = float(0, 10, { digits: 2 });
    expect(p.cast(1.23456)).toBe(1.23);
    expect(p.cast(1.235001)).toBe(1.24);
    expect(p.cast("3.14159")).toBe(3.14);
    expect(float(0, 10).cast(1.23456)).toBe(1.23456);
  });

  it("does not check the domain when casting, but clampAndCast does", () => {
    const k = int(1, 5);
    expect(k.cast(9.2)).toBe(9);
    expect(k.clampAndCast(9.2)).toBe(5);
    expect(k.clampAndCast(-3)).toBe(1);
    expect(k.clampAndCast(4.6)).toBe(5);
    const p = float(0, 1, { digits: 1 });
    expect(p.clampAndCast(0.97)).toBe(1);
    expect(p.clampAndCast(0.44)).toBe(0.4);
  });
});

describe("ChoiceParameter", () => {
  it("infers its type, orders and sorts numbers", () => {
    const p = new ChoiceParameter({ name: "bs", values: [64, 16, 32] });
    expect(p.kind).toBe(ParameterKind.CHOICE);
    expect(p.parameterType).toBe(ParameterType.INT);
    expect(p.isOrdered).toBe(true);
    expect(p.values).toEqual([16, 32, 64]);
    expect(p.indexOf(32)).toBe(1);
    expect(p.indexOf(33)).toBe(-1);
    expect(p.cardinality).toBe(3);
    expect(p.isDiscrete).toBe(true);
  });

  it("treats integers mixed with floats as FLOAT", () => {
    expect(new ChoiceParameter({ name: "a", values: [1, 2.5] }).parameterType).toBe(ParameterType.FLOAT);
    expect(new ChoiceParameter({ name: "a", values: [1.5, 2] }).parameterType).toBe(ParameterType.FLOAT);
  });

  it("keeps strings unordered and in the given order", () => {
    const p = new ChoiceParameter({ name: "opt", values: ["sgd", "adam"] });
    expect(p.parameterType).toBe(ParameterType.STRING);
    expect(p.isOrdered).toBe(false);
    expect(p.values).toEqual(["sgd", "adam"]);
    expect(p.validate("adam")).toBe(true);
    expect(p.validate("rmsprop")).toBe(false);
    expect(p.describeDomain()).toBe('one of ["sgd","adam"]');
  });

  it("does not sort when sortValues is false", () => {
    const p = new ChoiceParameter({ name: "n", values: [3, 1, 2], sortValues: false });
    expect(p.values).toEqual([3, 1, 2]);
  });

  it("casts a string to the choice's numeric type", () => {
    const p = new ChoiceParameter({ name: "bs", values: [16, 32] });
    expect(p.cast("32")).toBe(32);
    expect(new ChoiceParameter({ name: "f", values: [true, false] }).cast("false")).toBe(false);
  });

  it.each([[["only"]], [[1]]])("rejects a single value %j", (values) => {
    const e = catchError(() => new ChoiceParameter({ name: "p", values }), SearchSpaceError);
    expect(e.parameter).toBe("p");
    expect(e.message).toContain('Choice parameter "p" has a single value');
    expect(e.message).toContain("FixedParameter");
  });

  it("rejects an empty list", () => {
    const e = catchError(() => new ChoiceParameter({ name: "p", values: [] }), SearchSpaceError);
    expect(e.parameter).toBe("p");
    expect(e.message).toContain("non-empty list of values");
  });

  it.each([[["a", "b", "a"]], [[1, 2, 2]]])("rejects duplicate values %j", (values) => {
    const e = catchError(() => new ChoiceParameter({ name: "p", values }), SearchSpaceError);
    expect(e.parameter).toBe("p");
    expect(e.message).toContain('Choice parameter "p" has duplicate values');
  });

  it.each([
    [[1, "a"], "INT", '"a"'],
    [["a", 1], "STRING", "1"],
    [[true, "x"], "BOOL", '"x"'],
  ])("rejects mixed types %j", (values, type, culprit) => {
    const e = catchError(() => new ChoiceParameter({ name: "p", values }), SearchSpaceError);
    expect(e.parameter).toBe("p");
    expect(e.message).toContain(`is ${type} but value ${culprit} is not`);
  });

  it("rejects values that do not have the declared type", () => {
    const e = catchError(
      () => new ChoiceParameter({ name: "p", parameterType: ParameterType.INT, values: [1, 2.5] }),
      SearchSpaceError,
    );
    expect(e.message).toContain("is INT but value 2.5 is not");
  });
});

describe("FixedParameter", () => {
  it("infers its type and validates only its value", () => {
    const p = new FixedParameter({ name: "f", value: 3 });
    expect(p.kind).toBe(ParameterKind.FIXED);
    expect(p.parameterType).toBe(ParameterType.INT);
    expect(p.validate(3)).toBe(true);
    expect(p.validate(4)).toBe(false);
    expect(p.validate("3")).toBe(false);
    expect(p.describeDomain()).toBe("fixed at 3");
    expect(new FixedParameter({ name: "s", value: "on" }).parameterType).toBe(ParameterType.STRING);
    expect(new FixedParameter({ name: "b", value: false }).parameterType).toBe(ParameterType.BOOL);
  });

  it.each([
    [ParameterType.INT, "a"],
    [ParameterType.INT, 1.5],
    [ParameterType.STRING, 1],
    [ParameterType.BOOL, "true"],
    [ParameterType.FLOAT, true],
  ])("rejects type %s with value %j", (parameterType, value) => {
    const e = catchError(() => new FixedParameter({ name: "f", parameterType, value }), SearchSpaceError);
    expect(e.parameter).toBe("f");
    expect(e.message).toContain(
      `Fixed parameter "f" is ${parameterType} but its value ${JSON.stringify(value)}`,
    );
  });
});

describe("inferParameterType and casting of other types", () => {
  it("infers types from JavaScript values", () => {
    expect(inferParameterType(1)).toBe("INT");
    expect(inferParameterType(1.5)).toBe("FLOAT");
    expect(inferParameterType("1")).toBe("STRING");
    expect(inferParameterType(true)).toBe("BOOL");
  });

  it("casts BOOL from strings and 0/1, refusing anything else", () => {
    const b = new ChoiceParameter({ name: "b", values: [true, false] });
    expect(b.cast("true")).toBe(true);
    expect(b.cast("false")).toBe(false);
    expect(b.cast(1)).toBe(true);
    expect(b.cast(0)).toBe(false);
    const e = catchError(() => b.cast("yes"), SearchSpaceError);
    expect(e.parameter).toBe("b");
    expect(e.message).toContain("expects a value of type BOOL");
  });

  it("casts STRING from numbers but not from booleans", () => {
    const s = new ChoiceParameter({ name: "s", values: ["1", "2"] });
    expect(s.cast(2)).toBe("2");
    expect(catchError(() => s.cast(true), SearchSpaceError).parameter).toBe("s");
  });
});
