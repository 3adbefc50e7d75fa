import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ColumnKind, SearchSpaceEncoding } from "../../src/adapter/search-space-encoding.js";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import { ParameterConstraint } from "../../src/core/parameter-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { SearchSpaceError } from "../../src/errors.js";

const float = (
  name: string,
  lower: number,
  upper: number,
  extra: { logScale?: boolean; digits?: number } = {},
) => new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower, upper, ...extra });
const int = (name: string, lower: number, upper: number, logScale = false) =>
  new RangeParameter({ name, parameterType: ParameterType.INT, lower, upper, logScale });

/** One parameter of every kind: float, log float, int, ordered choice, unordered choice, fixed. */
function mixedSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [
      float("x", -2, 6),
      float("lr", 1e-4, 1, { logScale: true }),
      int("layers", 1, 4),
      new ChoiceParameter({ name: "batch", values: [8, 16, 32, 64] }),
      new ChoiceParameter({ name: "opt", values: ["sgd", "adam", "rmsprop"] }),
      new FixedParameter({ name: "seed", value: 42 }),
    ],
  });
}

describe("SearchSpaceEncoding layout", () => {
  it("gives range and ordered parameters one column, unordered choices one-hot, fixed ones none", () => {
    const enc = new SearchSpaceEncoding(mixedSpace());
    expect(enc.dimension).toBe(7);
    expect(enc.samplingDimension).toBe(5);
    expect(enc.columns.map((c) => [c.parameter, c.kind])).toEqual([
      ["x", ColumnKind.FLOAT],
      ["lr", ColumnKind.FLOAT],
      ["layers", ColumnKind.INT],
      ["batch", ColumnKind.ORDERED],
      ["opt", ColumnKind.ONE_HOT],
      ["opt", ColumnKind.ONE_HOT],
      ["opt", ColumnKind.ONE_HOT],
    ]);
    expect(enc.columns[1]!.logScale).toBe(true);
    expect(enc.columns[2]!.numLevels).toBe(4);
    expect(enc.columns.slice(4).map((c) => c.category)).toEqual(["sgd", "adam", "rmsprop"]);
    expect(enc.parameterColumns("opt")).toEqual({ name: "opt", start: 4, width: 3, samplingIndex: 4 });
    expect(enc.fixedValues).toEqual({ seed: 42 });
    expect(() => enc.parameterColumns("seed")).toThrow(/fixed/);
  });
});

describe("SearchSpaceEncoding round trips", () => {
  it("maps FLOAT parameters linearly and clamps outside [0, 1]", () => {
    const enc = new SearchSpaceEncoding(new SearchSpace({ parameters: [float("x", -2, 6)] }));
    expect(enc.encode({ x: 2 })[0]).toBeCloseTo(0.5, 12);
    expect(enc.decode([0.25])).toEqual({ x: 0 });
    expect(enc.decode([-3])).toEqual({ x: -2 });
    expect(enc.decode([7])).toEqual({ x: 6 });
  });

  it("maps log-scale FLOAT parameters in log10 space", () => {
    const enc = new SearchSpaceEncoding(
      new SearchSpace({ parameters: [float("lr", 1e-4, 1, { logScale: true })] }),
    );
    expect(enc.encode({ lr: 1e-2 })[0]).toBeCloseTo(0.5, 12);
    expect(enc.decode([0.5]).lr as number).toBeCloseTo(1e-2, 14);
    expect(enc.decode([0]).lr).toBe(1e-4);
    expect(enc.decode([1]).lr).toBe(1);
    for (const v of [1e-4, 3.7e-3, 0.5, 1])
      expect(enc.decode(enc.encode({ lr: v })).lr as number).toBeCloseTo(v, 12);
  });

  it("rounds FLOAT parameters to their digits", () => {
    const enc = new SearchSpaceEncoding(new SearchSpace({ parameters: [float("x", 0, 1, { digits: 2 })] }));
    expect(enc.decode([0.123456])).toEqual({ x: 0.12 });
  });

  it("relaxes INT parameters so that every integer gets an equal share of [0, 1]", () => {
    const enc = new SearchSpaceEncoding(new SearchSpace({ parameters: [int("k", 1, 4)] }));
    expect(Array.from(enc.encode({ k: 1 }))).toEqual([0.125]);
    expect(Array.from(enc.encode({ k: 4 }))).toEqual([0.875]);
    for (const k of [1, 2, 3, 4]) expect(enc.decode(enc.encode({ k }))).toEqual({ k });
    const counts = new Map<unknown, number>();
    for (let i = 0; i < 4000; i++) {
      const { k } = enc.decode([(i + 0.5) / 4000]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.entries()].sort()).toEqual([
      [1, 1000],
      [2, 1000],
      [3, 1000],
      [4, 1000],
    ]);
    expect(enc.decode([0])).toEqual({ k: 1 });
    expect(enc.decode([1])).toEqual({ k: 4 });
  });

  it("round-trips log-scale INT parameters", () => {
    const enc = new SearchSpaceEncoding(new SearchSpace({ parameters: [int("n", 1, 1000, true)] }));
    for (const n of [1, 2, 10, 99, 1000]) expect(enc.decode(enc.encode({ n }))).toEqual({ n });
  });

  it("places ordered choices at the centers of equal cells", () => {
    const enc = new SearchSpaceEncoding(
      new SearchSpace({ parameters: [new ChoiceParameter({ name: "b", values: [8, 16, 32, 64] })] }),
    );
    expect(Array.from(enc.encode({ b: 32 }))).toEqual([0.625]);
    for (const b of [8, 16, 32, 64]) expect(enc.decode(enc.encode({ b }))).toEqual({ b });
    expect(enc.decode([0.2499])).toEqual({ b: 8 });
    expect(enc.decode([1])).toEqual({ b: 64 });
  });

  it("one-hot encodes unordered choices and decodes by argmax", () => {
    const enc = new SearchSpaceEncoding(
      new SearchSpace({
        parameters: [new ChoiceParameter({ name: "opt", values: ["sgd", "adam", "rmsprop"] })],
      }),
    );
    expect(Array.from(enc.encode({ opt: "adam" }))).toEqual([0, 1, 0]);
    expect(enc.decode([0.1, 0.7, 0.3])).toEqual({ opt: "adam" });
    expect(enc.decode([0.4, 0.2, 0.4])).toEqual({ opt: "sgd" });
    for (const opt of ["sgd", "adam", "rmsprop"]) expect(enc.decode(enc.encode({ opt }))).toEqual({ opt });
  });

  it("handles booleans as unordered choices", () => {
    const enc = new SearchSpaceEncoding(
      new SearchSpace({ parameters: [new ChoiceParameter({ name: "on", values: [true, false] })] }),
    );
    expect(enc.dimension).toBe(2);
    expect(enc.decode(enc.encode({ on: false }))).toEqual({ on: false });
  });

  it("fills fixed parameters on decode and needs n for a space without columns", () => {
    const space = new SearchSpace({ parameters: [new FixedParameter({ name: "f", value: "a" })] });
    const enc = new SearchSpaceEncoding(space);
    expect(enc.dimension).toBe(0);
    expect(enc.decode([])).toEqual({ f: "a" });
    expect(enc.decodeMany([], 2)).toEqual([{ f: "a" }, { f: "a" }]);
    expect(() => enc.decodeMany([])).toThrow(RangeError);
  });

  it("round-trips a mixed space with encodeMany / decodeMany", () => {
    const enc = new SearchSpaceEncoding(mixedSpace());
    const rows = [
      { x: 1.5, lr: 0.001, layers: 3, batch: 16, opt: "rmsprop", seed: 42 },
      { x: -2, lr: 1, layers: 1, batch: 64, opt: "sgd", seed: 42 },
    ];
    const X = enc.encodeMany(rows);
    expect(X.length).toBe(2 * enc.dimension);
    const back = enc.decodeMany(X);
    expect(back[1]).toEqual(rows[1]);
    expect(back[0]!.lr as number).toBeCloseTo(0.001, 12);
    expect({ ...back[0], lr: 0.001 }).toEqual(rows[0]);
    expect(Object.keys(back[0]!)).toEqual(["x", "lr", "layers", "batch", "opt", "seed"]);
  });
});

describe("SearchSpaceEncoding errors", () => {
  const enc = new SearchSpaceEncoding(mixedSpace());
  const valid = { x: 0, lr: 0.1, layers: 2, batch: 8, opt: "sgd", seed: 42 };

  it("refuses to encode missing or invalid values", () => {
    const { x: _x, ...missing } = valid;
    expect(() => enc.encode(missing)).toThrow(SearchSpaceError);
    expect(() => enc.encode({ ...valid, opt: "adagrad" })).toThrow(/adagrad/);
    expect(() => enc.encode({ ...valid, lr: -1 })).toThrow(SearchSpaceError);
  });

  it("refuses wrong lengths and non-finite coordinates", () => {
    expect(() => enc.decode([0.5])).toThrow(RangeError);
    expect(() => enc.decode([Number.NaN, 0, 0, 0, 0, 0, 0])).toThrow(RangeError);
    expect(() => enc.decodeMany(new Float64Array(8))).toThrow(RangeError);
    expect(() => enc.decodeFromUniform([0.5])).toThrow(RangeError);
  });
});

describe("SearchSpaceEncoding.decodeFromUniform", () => {
  it("takes one coordinate per searched parameter and makes every category equally likely", () => {
    const enc = new SearchSpaceEncoding(mixedSpace());
    const counts: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const u = (i + 0.5) / 300;
      const p = enc.decodeFromUniform([u, u, u, u, u]);
      counts[p.opt as string] = (counts[p.opt as string] ?? 0) + 1;
      expect(enc.searchSpace.checkMembership(p)).toBe(true);
    }
    expect(counts).toEqual({ sgd: 100, adam: 100, rmsprop: 100 });
    expect(enc.decodeManyFromUniform(new Float64Array(10)).length).toBe(2);
  });
});

describe("SearchSpaceEncoding constraints", () => {
  it("expresses linear constraints over the unit-cube columns", () => {
    const space = new SearchSpace({
      parameters: [float("x", 0, 10), float("y", -1, 1), int("k", 0, 3)],
      parameterConstraints: [new ParameterConstraint({ constraintDict: { x: 1, y: 2 }, bound: 5 })],
    });
    const enc = new SearchSpaceEncoding(space);
    expect(enc.linearConstraints.length).toBe(1);
    const c = enc.linearConstraints[0]!;
    expect(Array.from(c.coefficients)).toEqual([10, 4, 0]);
    expect(c.bound).toBeCloseTo(7, 12);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const p = enc.decode([a, b, 0.5]);
          // Away from the boundary (rounding), both views of the constraint agree.
          const slack = 10 * a + 4 * b - 7;
          fc.pre(Math.abs(slack) > 1e-9);
          expect(enc.satisfiesLinearConstraints([a, b, 0.5])).toBe(space.satisfiesConstraints(p));
        },
      ),
    );
  });

  it("keeps constraints over log-scale parameters apart, as nonlinear", () => {
    const space = new SearchSpace({
      parameters: [float("a", 1, 100, { logScale: true }), float("b", 0, 1)],
      parameterConstraints: [new ParameterConstraint({ constraintDict: { a: 1, b: 1 }, bound: 50 })],
    });
    const enc = new SearchSpaceEncoding(space);
    expect(enc.linearConstraints).toEqual([]);
    expect(enc.nonlinearConstraints.map((c) => c.toString())).toEqual(["a + b <= 50"]);
  });
});

describe("SearchSpaceEncoding.decode (property)", () => {
  it("always yields a member of the (unconstrained) search space, and decode ∘ encode ∘ decode = decode", () => {
    const enc = new SearchSpaceEncoding(mixedSpace());
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), {
          minLength: enc.dimension,
          maxLength: enc.dimension,
        }),
        (x) => {
          const p = enc.decode(x);
          expect(enc.searchSpace.explainMembership(p)).toBeNull();
          const again = enc.decode(enc.encode(p));
          expect(again.lr as number).toBeCloseTo(p.lr as number, 12);
          expect({ ...again, lr: 0 }).toEqual({ ...p, lr: 0 });
        },
      ),
      { numRuns: 300 },
    );
  });
});
