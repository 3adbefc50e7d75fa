import { describe, expect, it } from "vitest";
import { sampleFeasible } from "../../src/adapter/feasible-sampler.js";
import { SearchSpaceEncoding } from "../../src/adapter/search-space-encoding.js";
import { armSignature } from "../../src/core/arm.js";
import { ParameterConstraint } from "../../src/core/parameter-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { ParameterConstraintError, SearchSpaceExhaustedError } from "../../src/errors.js";

const int = (name: string, lower: number, upper: number) =>
  new RangeParameter({ name, parameterType: ParameterType.INT, lower, upper });
const float = (name: string) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });

/** A stream that always returns the same point, counting what it is asked for. */
function constantStream(value: number, stride: number) {
  const calls = { points: 0 };
  const draw = (m: number) => {
    calls.points += m;
    return new Float64Array(m * stride).fill(value);
  };
  return { draw, calls };
}

describe("sampleFeasible", () => {
  it("picks among the unused points of an enumerable space when rejection keeps hitting used ones", () => {
    const space = new SearchSpace({ parameters: [int("a", 0, 9), int("b", 0, 9)] });
    const encoding = new SearchSpaceEncoding(space);
    const free = armSignature({ a: 7, b: 3 });
    const { draw } = constantStream(0, 2);
    const result = sampleFeasible({ encoding, n: 1, draw, stride: 2, isTaken: (sig) => sig !== free });
    expect(result.points).toHaveLength(1);
    expect(result.points[0]!.parameters).toEqual({ a: 7, b: 3 });
    expect(result.points[0]!.pickedFromRemaining).toBe(true);
    expect(result.numDuplicates).toBe(100);
  });

  it("reports exhaustion before drawing anything", () => {
    const encoding = new SearchSpaceEncoding(new SearchSpace({ parameters: [int("a", 0, 2)] }));
    const { draw, calls } = constantStream(0.5, 1);
    expect(() => sampleFeasible({ encoding, n: 1, draw, stride: 1, isTaken: () => true })).toThrow(
      SearchSpaceExhaustedError,
    );
    expect(calls.points).toBe(0);
  });

  it("reports an infeasible finite space as a constraint problem", () => {
    const space = new SearchSpace({
      parameters: [int("a", 0, 3), int("b", 0, 3)],
      parameterConstraints: [
        new ParameterConstraint({ constraintDict: { a: 1, b: 1 }, bound: 0.5 }),
        new ParameterConstraint({ constraintDict: { a: -1 }, bound: -1 }),
      ],
    });
    const { draw } = constantStream(0.5, 2);
    expect(() =>
      sampleFeasible({
        encoding: new SearchSpaceEncoding(space),
        n: 1,
        draw,
        stride: 2,
        isTaken: () => false,
      }),
    ).toThrow(ParameterConstraintError);
  });

  it("bounds the number of draws in a continuous space", () => {
    const space = new SearchSpace({
      parameters: [float("x"), float("y")],
      parameterConstraints: [new ParameterConstraint({ constraintDict: { x: 1, y: 1 }, bound: 0.1 })],
    });
    const { draw, calls } = constantStream(0.9, 2);
    expect(() =>
      sampleFeasible({
        encoding: new SearchSpaceEncoding(space),
        n: 3,
        draw,
        stride: 2,
        isTaken: () => false,
        maxDrawsPerPoint: 50,
      }),
    ).toThrow(/no feasible region.*150 draws/s);
    expect(calls.points).toBe(150);
  });
});
