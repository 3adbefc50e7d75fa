import { describe, expect, it } from "vitest";
import {
  ChoiceParameter,
  FixedParameter,
  OrderConstraint,
  ParameterType,
  RangeParameter,
} from "../../src/core/index.js";
import { ParameterConstraintError, SearchSpaceError } from "../../src/errors.js";
import {
  type ParameterSpec,
  parameterFromSpec,
  searchSpaceFromSpecs,
} from "../../src/service/experiment-spec.js";

/** Specs as untyped JSON would give them. */
const loose = (spec: unknown): ParameterSpec => spec as ParameterSpec;

function errorOf(fn: () => unknown): SearchSpaceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SearchSpaceError) return error;
    throw error;
  }
  throw new Error("expected a SearchSpaceError");
}

describe("parameterFromSpec", () => {
  it("builds a float range parameter by default, even with integer bounds", () => {
    const p = parameterFromSpec({ name: "x2", type: "range", bounds: [0, 15] });
    expect(p).toBeInstanceOf(RangeParameter);
    expect(p).toMatchObject({ parameterType: ParameterType.FLOAT, lower: 0, upper: 15, logScale: false });
  });

  it("builds int, log-scale and digits range parameters", () => {
    expect(
      parameterFromSpec({ name: "n", type: "range", bounds: [1, 64], valueType: "int", logScale: true }),
    ).toMatchObject({ parameterType: ParameterType.INT, logScale: true });
    expect(parameterFromSpec({ name: "lr", type: "range", bounds: [0.1, 1], digits: 2 })).toMatchObject({
      digits: 2,
    });
  });

  it("builds choice and fixed parameters", () => {
    const choice = parameterFromSpec({ name: "kind", type: "choice", values: ["a", "b"], isOrdered: false });
    expect(choice).toBeInstanceOf(ChoiceParameter);
    expect(choice).toMatchObject({
      values: ["a", "b"],
      isOrdered: false,
      parameterType: ParameterType.STRING,
    });
    expect(
      parameterFromSpec({ name: "k", type: "choice", values: [1, 2, 4], valueType: "float" }),
    ).toMatchObject({ parameterType: ParameterType.FLOAT });
    const fixed = parameterFromSpec({ name: "opt", type: "fixed", value: "adam" });
    expect(fixed).toBeInstanceOf(FixedParameter);
    expect(fixed).toMatchObject({ value: "adam" });
  });

  it.each([
    [loose(null), /parameters\[0\] must be an object/, undefined],
    [loose({ type: "range", bounds: [0, 1] }), /has no name/, undefined],
    [loose({ name: "x", bounds: [0, 1] }), /type must be "range", "choice" or "fixed"/, "x"],
    [loose({ name: "x", type: "range" }), /bounds must be two finite numbers/, "x"],
    [loose({ name: "x", type: "range", bounds: [0, Number.NaN] }), /bounds must be two finite numbers/, "x"],
    [loose({ name: "x", type: "range", bounds: [1, 0] }), /strictly less than upper/, "x"],
    [
      loose({ name: "x", type: "range", bounds: [0, 1], valueType: "str" }),
      /valueType must be "float" or "int"/,
      "x",
    ],
    [loose({ name: "x", type: "range", bounds: [0.5, 3], valueType: "int" }), /not integers/, "x"],
    [loose({ name: "x", type: "range", bounds: [0, 1], logScale: true }), /log scale needs lower > 0/, "x"],
    [loose({ name: "x", type: "range", bounds: [0, 1], log_scale: true }), /write logScale: true/, "x"],
    [
      loose({ name: "x", type: "range", lower: 0, upper: 1, bounds: [0, 1] }),
      /write bounds: \[lower, upper\]/,
      "x",
    ],
    [loose({ name: "x", type: "range", bounds: [0, 1], values: [1, 2] }), /belongs to type "choice"/, "x"],
    [
      loose({ name: "x", type: "range", bounds: [1, 5], valueType: "int", digits: 2 }),
      /digits applies to floats/,
      "x",
    ],
    [loose({ name: "c", type: "choice", values: "ab" }), /values must be a list/, "c"],
    [loose({ name: "c", type: "choice", values: ["a"] }), /use a FixedParameter/, "c"],
    [loose({ name: "c", type: "choice", values: ["a", 1] }), /all values must share one type/, "c"],
    [loose({ name: "c", type: "choice", values: ["a", "b"], valueType: "str" }), /write "string"/, "c"],
    [
      loose({ name: "c", type: "choice", values: ["a", "b"], isOrdered: "no" }),
      /isOrdered must be true or false/,
      "c",
    ],
    [loose({ name: "f", type: "fixed" }), /value must be a string, number or boolean/, "f"],
    [loose({ name: "has space", type: "fixed", value: 1 }), /without spaces/, "has space"],
  ])("refuses %j with a SearchSpaceError saying what to write", (spec, message, parameter) => {
    const error = errorOf(() => parameterFromSpec(spec));
    expect(error.message).toMatch(message);
    expect(error.parameter).toBe(parameter);
  });
});

describe("searchSpaceFromSpecs", () => {
  const specs: ParameterSpec[] = [
    { name: "x1", type: "range", bounds: [0, 10] },
    { name: "x2", type: "range", bounds: [0, 10] },
    { name: "kind", type: "choice", values: ["a", "b"] },
  ];

  it("builds parameters in order with text constraints", () => {
    const space = searchSpaceFromSpecs(specs, ["x1 + x2 <= 10", "x1 <= x2"]);
    expect(space.parameterNames).toEqual(["x1", "x2", "kind"]);
    expect(space.parameterConstraints[0]).toMatchObject({ constraintDict: { x1: 1, x2: 1 }, bound: 10 });
    expect(space.parameterConstraints[1]).toBeInstanceOf(OrderConstraint);
  });

  it("refuses no parameters, duplicates, and bad constraints", () => {
    expect(() => searchSpaceFromSpecs([])).toThrow(/at least one parameter/);
    expect(() => searchSpaceFromSpecs([specs[0]!, specs[0]!])).toThrow(/Duplicate parameter name "x1"/);
    expect(() => searchSpaceFromSpecs(specs, ["x1 + x3 <= 1"])).toThrow(ParameterConstraintError);
    expect(() => searchSpaceFromSpecs(specs, ["x1 + kind <= 1"])).toThrow(/not a range parameter/);
    expect(() => searchSpaceFromSpecs(specs, ["x1 < 3"])).toThrow(ParameterConstraintError);
    expect(() => searchSpaceFromSpecs(specs, [loose(3) as unknown as string])).toThrow(SearchSpaceError);
  });
});
