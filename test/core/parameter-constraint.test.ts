import { describe, expect, it } from "vitest";
import {
  OrderConstraint,
  ParameterConstraint,
  ParameterType,
  parseParameterConstraint,
  RangeParameter,
  SearchSpace,
  SumConstraint,
} from "../../src/core/index.js";
import { ParameterConstraintError, ReservedNameError } from "../../src/errors.js";
import { catchError } from "./helpers.js";

describe("ParameterConstraint", () => {
  it("evaluates sum(w * x) and checks it against the bound", () => {
    const c = new ParameterConstraint({ constraintDict: { x1: 1, x2: 2 }, bound: 10 });
    expect(c.parameterNames).toEqual(["x1", "x2"]);
    expect(c.evaluate({ x1: 2, x2: 3 })).toBe(8);
    expect(c.evaluate({ x1: 2 })).toBe(2); // missing counts as 0
    expect(c.check({ x1: 2, x2: 4 })).toBe(true); // exactly on the bound
    expect(c.check({ x1: 2, x2: 4 + 1e-12 })).toBe(true); // within tolerance
    expect(c.check({ x1: 2, x2: 4.001 })).toBe(false);
    expect(c.toString()).toBe("x1 + 2*x2 <= 10");
  });

  it("freezes its weights against later changes of the input", () => {
    const dict: Record<string, number> = { a: 1 };
    const c = new ParameterConstraint({ constraintDict: dict, bound: 1 });
    dict.a = 5;
    dict.b = 1;
    expect(c.constraintDict).toEqual({ a: 1 });
    expect(Object.isFrozen(c.constraintDict)).toBe(true);
  });

  it("rejects an empty constraint", () => {
    const e = catchError(
      () => new ParameterConstraint({ constraintDict: {}, bound: 1 }),
      ParameterConstraintError,
    );
    expect(e.message).toContain("at least one parameter weight");
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])("rejects weight %d, naming the parameter", (w) => {
    const e = catchError(
      () => new ParameterConstraint({ constraintDict: { a: 1, b: w }, bound: 1 }),
      ParameterConstraintError,
    );
    expect(e.parameter).toBe("b");
    expect(e.message).toContain(`weight for "b" must be finite, got ${w}`);
  });

  it("rejects a non-finite bound", () => {
    const e = catchError(
      () => new ParameterConstraint({ constraintDict: { a: 1 }, bound: Number.NaN }),
      ParameterConstraintError,
    );
    expect(e.message).toContain("bound must be finite, got NaN");
  });
});

describe("OrderConstraint", () => {
  const c = new OrderConstraint({ lowerParameter: "lo", upperParameter: "hi" });

  it("holds when lower <= upper", () => {
    expect(c.check({ lo: 1, hi: 2 })).toBe(true);
    expect(c.check({ lo: 2, hi: 2 })).toBe(true);
    expect(c.check({ lo: 2.5, hi: 2 })).toBe(false);
    expect(c.constraintDict).toEqual({ lo: 1, hi: -1 });
    expect(c.bound).toBe(0);
    expect(c.toString()).toBe("lo <= hi");
  });

  it("rejects comparing a parameter with itself", () => {
    const e = catchError(
      () => new OrderConstraint({ lowerParameter: "a", upperParameter: "a" }),
      ParameterConstraintError,
    );
    expect(e.parameter).toBe("a");
    expect(e.message).toContain('compares "a" with itself');
  });
});

describe("SumConstraint", () => {
  it("bounds the sum from above", () => {
    const c = new SumConstraint({ parameters: ["a", "b"], isUpperBound: true, bound: 1 });
    expect(c.check({ a: 0.4, b: 0.6 })).toBe(true);
    expect(c.check({ a: 0.5, b: 0.6 })).toBe(false);
    expect(c.toString()).toBe("a + b <= 1");
    expect(c.parameters).toEqual(["a", "b"]);
  });

  it("bounds the sum from below as -sum <= -bound", () => {
    const c = new SumConstraint({ parameters: ["a", "b"], isUpperBound: false, bound: 1 });
    expect(c.constraintDict).toEqual({ a: -1, b: -1 });
    expect(c.bound).toBe(-1);
    expect(c.check({ a: 0.5, b: 0.6 })).toBe(true);
    expect(c.check({ a: 0.5, b: 0.5 })).toBe(true);
    expect(c.check({ a: 0.4, b: 0.5 })).toBe(false);
    expect(c.toString()).toBe("a + b >= 1");
  });
});

describe("parseParameterConstraint", () => {
  it.each([
    ["x1 + 2*x2 <= 10", { x1: 1, x2: 2 }, 10],
    ["x1 - x2 >= -1", { x1: -1, x2: 1 }, 1],
    ["3x1 + 0.5 * x2 <= 4", { x1: 3, x2: 0.5 }, 4],
    ["-x1 + .25*x2 <= 0", { x1: -1, x2: 0.25 }, 0],
    ["x1+x2+x3<=1.5", { x1: 1, x2: 1, x3: 1 }, 1.5],
    ["  2*a >= 1e-3  ", { a: -2 }, -0.001],
    ["x1 + -2*x2 <= 3", { x1: 1, x2: -2 }, 3],
    ["2e3*x1 <= 1", { x1: 2000 }, 1],
    ["1e-3*x1 + x2 <= 1", { x1: 0.001, x2: 1 }, 1],
    ["x1 + 1.5E+2*x2 <= 1", { x1: 1, x2: 150 }, 1],
    ["x1 + x1 <= 4", { x1: 2 }, 4],
  ])("parses %j", (text, dict, bound) => {
    const c = parseParameterConstraint(text);
    expect(c).not.toBeInstanceOf(OrderConstraint);
    expect(c.constraintDict).toEqual(dict);
    expect(c.bound).toBe(bound);
  });

  it("turns >= into <= by negating both sides", () => {
    const c = parseParameterConstraint("x1 - x2 >= -1");
    // x1 - x2 >= -1  <=>  -x1 + x2 <= 1
    expect(c.check({ x1: 0, x2: 1 })).toBe(true);
    expect(c.check({ x1: 2, x2: 0.5 })).toBe(true);
    expect(c.check({ x1: 0, x2: 1.5 })).toBe(false);
  });

  it("parses x <= y as an order constraint", () => {
    const c = parseParameterConstraint("x1 <= x2");
    expect(c).toBeInstanceOf(OrderConstraint);
    const o = c as OrderConstraint;
    expect([o.lowerParameter, o.upperParameter]).toEqual(["x1", "x2"]);
    expect(c.check({ x1: 1, x2: 2 })).toBe(true);
    expect(c.check({ x1: 3, x2: 2 })).toBe(false);
  });

  it("parses x >= y as the order constraint y <= x", () => {
    const o = parseParameterConstraint("x1 >= x2") as OrderConstraint;
    expect(o).toBeInstanceOf(OrderConstraint);
    expect([o.lowerParameter, o.upperParameter]).toEqual(["x2", "x1"]);
  });

  it.each([
    ["-x1 + 2x2 - -3*x3 <= 1", { x1: -1, x2: 2, x3: 3 }, 1],
    ["1e-3*x1 + 2.5 * x2 + x1 >= -4", { x1: -1.001, x2: -2.5 }, 4],
  ])("reads the terms of %j exactly", (text, constraintDict, bound) => {
    const c = parseParameterConstraint(text);
    expect(c.constraintDict).toEqual(constraintDict);
    expect(c.bound).toBe(bound);
  });

  it.each(["__proto__ + x1 <= 1", "x1 + constructor <= 1", "toString <= x1"])(
    "refuses %j, which names a member of every object",
    (text) => {
      expect(catchError(() => parseParameterConstraint(text), ReservedNameError).kind).toBe("parameter");
    },
  );

  it("gives constraints that a search space accepts and applies", () => {
    const space = new SearchSpace({
      parameters: ["x1", "x2"].map(
        (name) => new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 10 }),
      ),
      parameterConstraints: [
        parseParameterConstraint("x1 + 2*x2 <= 10"),
        parseParameterConstraint("x1 <= x2"),
      ],
    });
    expect(space.checkMembership({ x1: 2, x2: 4 })).toBe(true);
    expect(space.checkMembership({ x1: 2, x2: 5 })).toBe(false);
    expect(space.checkMembership({ x1: 3, x2: 2 })).toBe(false);
  });

  it.each([
    ["x1 + x2 < 3", "expected"],
    ["x1 + x2 == 3", "expected"],
    ["x1 + x2", "expected"],
    ["x1 + x2 <= ten", "ten"],
    ["x1 + x2 <= ", 'bound "" is not a number'],
    ["x1 + x2 <= 3 <= 4", "is not a number"],
    ["x1 * x2 <= 3", 'expected "+" or "-" before "*"'],
    ["x1 + 5 <= 3", "expected a parameter name, got the end"],
    ["x1 + (x2) <= 3", 'unexpected "("'],
    ["x +* y <= 1", 'expected a parameter name, got "*"'],
    ["x1 x2 <= 1", 'expected "+" or "-" before "x2"'],
    ["x1 + <= 1", "expected a parameter name, got the end"],
    ["x1 ++ + x2 <= 1", 'expected a parameter name, got "+"'],
    ["2 * * x1 <= 1", 'expected a parameter name, got "*"'],
    ["x1 + x2 * 3 <= 1", 'expected "+" or "-" before "*"'],
    ["2*x1 <= x2", 'only "x <= y"'],
    ["x1 + x2 <= x3", 'only "x <= y"'],
    ["x1 <= -x2", "is not a number"],
  ])("rejects %j", (text, fragment) => {
    const e = catchError(() => parseParameterConstraint(text), ParameterConstraintError);
    expect(e.message).toContain(fragment);
    expect(e.message).toContain(`"${text.trim()}`);
  });

  it("rejects a constraint with no parameter", () => {
    expect(() => parseParameterConstraint("<= 3")).toThrow(ParameterConstraintError);
  });
});
