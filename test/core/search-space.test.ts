import { describe, expect, it } from "vitest";
import {
  Arm,
  ChoiceParameter,
  FixedParameter,
  OrderConstraint,
  ParameterConstraint,
  ParameterType,
  RangeParameter,
  SearchSpace,
  SumConstraint,
} from "../../src/core/index.js";
import {
  ParameterConstraintError,
  ParameterValueError,
  ReservedNameError,
  SearchSpaceError,
} from "../../src/errors.js";
import { catchError, makeSpace, point } from "./helpers.js";

const x = (name: string, lower = 0, upper = 10) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower, upper });

describe("SearchSpace construction", () => {
  it("keeps parameters in definition order", () => {
    const space = makeSpace();
    expect(space.parameterNames).toEqual(["x1", "x2", "n", "c"]);
    expect(space.rangeParameters.map((p) => p.name)).toEqual(["x1", "x2", "n"]);
    expect(space.getParameter("c")).toBeInstanceOf(ChoiceParameter);
  });

  it("rejects an empty parameter list", () => {
    const e = catchError(() => new SearchSpace({ parameters: [] }), SearchSpaceError);
    expect(e.message).toContain("at least one parameter");
  });

  it("rejects duplicate parameter names, naming the duplicate", () => {
    const e = catchError(
      () => new SearchSpace({ parameters: [x("a"), x("b"), x("a", 1, 2)] }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("a");
    expect(e.message).toContain('Duplicate parameter name "a"');
  });

  it("getParameter names the unknown parameter and lists the known ones", () => {
    const e = catchError(() => makeSpace().getParameter("zz"), SearchSpaceError);
    expect(e.parameter).toBe("zz");
    expect(e.message).toContain('Unknown parameter "zz"');
    expect(e.message).toContain("x1, x2, n, c");
  });

  it("rejects a constraint naming an unknown parameter", () => {
    const e = catchError(
      () =>
        new SearchSpace({
          parameters: [x("x1"), x("x2")],
          parameterConstraints: [new ParameterConstraint({ constraintDict: { x1: 1, x3: 1 }, bound: 5 })],
        }),
      ParameterConstraintError,
    );
    expect(e).toBeInstanceOf(SearchSpaceError);
    expect(e.parameter).toBe("x3");
    expect(e.message).toContain('names unknown parameter "x3"');
    expect(e.message).toContain("x1 + x3 <= 5");
  });

  it("rejects a constraint naming a choice parameter", () => {
    const e = catchError(
      () =>
        new SearchSpace({
          parameters: [x("x1"), new ChoiceParameter({ name: "k", values: [1, 2, 3] })],
          parameterConstraints: [new OrderConstraint({ lowerParameter: "x1", upperParameter: "k" })],
        }),
      ParameterConstraintError,
    );
    expect(e.parameter).toBe("k");
    expect(e.message).toContain('names "k", which is not a range parameter');
  });

  it("rejects a constraint naming a fixed parameter", () => {
    const e = catchError(
      () =>
        new SearchSpace({
          parameters: [x("x1"), new FixedParameter({ name: "f", value: 2 })],
          parameterConstraints: [
            new SumConstraint({ parameters: ["x1", "f"], isUpperBound: true, bound: 3 }),
          ],
        }),
      ParameterConstraintError,
    );
    expect(e.parameter).toBe("f");
  });

  it("rejects a constraint that no point within the bounds satisfies", () => {
    const e = catchError(
      () =>
        new SearchSpace({
          parameters: [x("x1", 2, 10), x("x2", 3, 10)],
          parameterConstraints: [
            new SumConstraint({ parameters: ["x1", "x2"], isUpperBound: true, bound: 4 }),
          ],
        }),
      ParameterConstraintError,
    );
    expect(e.message).toContain("x1 + x2 <= 4");
    expect(e.message).toContain("cannot be satisfied within the parameter bounds");
    expect(e.message).toContain("smallest possible left-hand side is 5");
  });

  it("accounts for negative weights when checking feasibility", () => {
    // x1 - x2 <= -9 with both in [0, 10]: feasible at x1 = 0, x2 >= 9.
    expect(
      () =>
        new SearchSpace({
          parameters: [x("x1"), x("x2")],
          parameterConstraints: [new ParameterConstraint({ constraintDict: { x1: 1, x2: -1 }, bound: -9 })],
        }),
    ).not.toThrow();
    // x1 - x2 <= -11 is not.
    expect(
      () =>
        new SearchSpace({
          parameters: [x("x1"), x("x2")],
          parameterConstraints: [new ParameterConstraint({ constraintDict: { x1: 1, x2: -1 }, bound: -11 })],
        }),
    ).toThrow(ParameterConstraintError);
  });

  it("accepts a constraint that is tight at a corner", () => {
    const space = new SearchSpace({
      parameters: [x("x1", 2, 10), x("x2", 3, 10)],
      parameterConstraints: [new SumConstraint({ parameters: ["x1", "x2"], isUpperBound: true, bound: 5 })],
    });
    expect(space.checkMembership({ x1: 2, x2: 3 })).toBe(true);
    expect(space.checkMembership({ x1: 2.1, x2: 3 })).toBe(false);
  });

  it("computes the cardinality of discrete spaces", () => {
    const space = new SearchSpace({
      parameters: [
        new RangeParameter({ name: "k", parameterType: ParameterType.INT, lower: 1, upper: 4 }),
        new ChoiceParameter({ name: "c", values: ["a", "b", "c"] }),
        new FixedParameter({ name: "f", value: 1 }),
      ],
    });
    expect(space.cardinality).toBe(12);
    expect(makeSpace().cardinality).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("SearchSpace membership", () => {
  const space = makeSpace();

  it("accepts a valid point", () => {
    expect(space.checkMembership(point(1, 2, 3, "b"))).toBe(true);
    expect(space.explainMembership(point(1, 2, 3, "b"))).toBeNull();
    expect(() => space.validateParameterization(point(1, 2, 3, "b"))).not.toThrow();
  });

  const cases: [string, Record<string, string | number | boolean>, string, string][] = [
    ["out of range", { ...point(1), x1: 11 }, "x1", 'parameter "x1" = 11 is not FLOAT in [0, 10]'],
    ["INT with a fraction", { ...point(1), n: 2.5 }, "n", 'parameter "n" = 2.5 is not INT in [1, 5]'],
    ["wrong type", { ...point(1), x2: "3" }, "x2", 'parameter "x2" = "3" is not FLOAT in [0, 10]'],
    ["not a choice", { ...point(1), c: "z" }, "c", 'parameter "c" = "z" is not one of ["a","b"]'],
    ["missing", { x1: 1, x2: 1, c: "a" }, "n", 'parameter "n" is missing'],
    ["unknown", { ...point(1), extra: 1 }, "extra", 'parameter "extra" is not in the search space'],
  ];

  it.each(cases)("rejects a point with a parameter %s", (_what, params, culprit, why) => {
    expect(space.checkMembership(params)).toBe(false);
    expect(space.explainMembership(params)).toBe(why);
    const e = catchError(() => space.validateParameterization(params), SearchSpaceError);
    expect(e.parameter).toBe(culprit);
    expect(e.message).toBe(`Invalid parameterization: ${why}.`);
  });

  it("names the arm in validateArm", () => {
    const arm = new Arm({ parameters: { ...point(1), x1: -1 }, name: "7_0" });
    const e = catchError(() => space.validateArm(arm), SearchSpaceError);
    expect(e.parameter).toBe("x1");
    expect(e.message).toContain('Invalid arm "7_0"');
  });

  it("reports a violated constraint without blaming one parameter", () => {
    const constrained = new SearchSpace({
      parameters: [x("x1"), x("x2")],
      parameterConstraints: [new ParameterConstraint({ constraintDict: { x1: 1, x2: 2 }, bound: 10 })],
    });
    expect(constrained.satisfiesConstraints({ x1: 2, x2: 4 })).toBe(true);
    expect(constrained.satisfiesConstraints({ x1: 2, x2: 4.5 })).toBe(false);
    const e = catchError(() => constrained.validateParameterization({ x1: 2, x2: 4.5 }), SearchSpaceError);
    expect(e.parameter).toBeUndefined();
    expect(e.message).toBe("Invalid parameterization: constraint x1 + 2*x2 <= 10 is violated.");
  });

  it.each(["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty"])(
    "refuses a parameter named %j (a member of every object), naming it",
    (name) => {
      const e = catchError(() => x(name), ReservedNameError);
      expect([e.reservedName, e.kind]).toEqual([name, "parameter"]);
      expect(e.message).toContain(`"${name}" is reserved`);
    },
  );
});

describe("SearchSpace.castParameterization", () => {
  const space = new SearchSpace({
    parameters: [
      new RangeParameter({ name: "lr", parameterType: ParameterType.FLOAT, lower: 0, upper: 1, digits: 2 }),
      new RangeParameter({ name: "layers", parameterType: ParameterType.INT, lower: 1, upper: 8 }),
      new ChoiceParameter({ name: "bn", values: [true, false] }),
      new FixedParameter({ name: "seed", value: 42 }),
    ],
  });

  it("casts loose values and fills fixed parameters", () => {
    expect(space.castParameterization({ lr: "0.12345", layers: "3", bn: "true" })).toEqual({
      lr: 0.12,
      layers: 3,
      bn: true,
      seed: 42,
    });
    expect(space.castParameterization({ lr: 0.5, layers: 3.0, bn: false, seed: 42 })).toEqual({
      lr: 0.5,
      layers: 3,
      bn: false,
      seed: 42,
    });
  });

  it.each([2.7, "2.5", 1e-9 + 2])("refuses %j for an INT parameter instead of rounding it", (layers) => {
    const e = catchError(
      () => space.castParameterization({ lr: 0.5, layers, bn: false }),
      ParameterValueError,
    );
    expect([e.parameter, e.value]).toEqual(["layers", layers]);
    expect(e).toBeInstanceOf(SearchSpaceError);
    expect(e.message).toContain('Parameter "layers" is an integer parameter');
  });

  it("rejects an unknown parameter", () => {
    const e = catchError(
      () => space.castParameterization({ lr: 0.5, layers: 2, bn: true, extra: 1 }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("extra");
    expect(e.message).toContain('Unknown parameter "extra"');
  });

  it("rejects a missing non-fixed parameter", () => {
    const e = catchError(() => space.castParameterization({ lr: 0.5, bn: true }), SearchSpaceError);
    expect(e.parameter).toBe("layers");
    expect(e.message).toBe('Parameter "layers" is missing a value.');
  });

  it("rejects a value that cannot be cast", () => {
    const e = catchError(
      () => space.castParameterization({ lr: "fast", layers: 2, bn: true }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("lr");
    expect(e.message).toContain("expects a value of type FLOAT");
    expect(e.message).toContain('"fast"');
  });

  it("rejects a cast value outside the domain", () => {
    const e = catchError(
      () => space.castParameterization({ lr: 0.5, layers: "9", bn: true }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("layers");
    expect(e.message).toContain('parameter "layers" = 9 is not INT in [1, 8]');
  });

  it("rejects a fixed parameter given another value", () => {
    const e = catchError(
      () => space.castParameterization({ lr: 0.5, layers: 2, bn: true, seed: 7 }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("seed");
    expect(e.message).toContain("fixed at 42");
  });
});
