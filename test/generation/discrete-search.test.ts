import { describe, expect, it } from "vitest";
import { SearchSpaceEncoding } from "../../src/adapter/search-space-encoding.js";
import { armSignature } from "../../src/core/arm.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import type { Parameterization, ParameterValue } from "../../src/core/parameter-type.js";
import { SearchSpace } from "../../src/core/search-space.js";
import {
  drawRawSamples,
  type OptimizeAcquisitionOptions,
  optimizeAcquisition,
  type RankedCandidate,
} from "../../src/generation/bo/candidate-optimizer.js";
import { DiscreteGrid } from "../../src/generation/bo/discrete-grid.js";
import { localSearch } from "../../src/generation/bo/discrete-search.js";
import { GridScorer } from "../../src/generation/bo/grid-scorer.js";
import { optimizeRelaxation } from "../../src/generation/bo/relaxed-optimizer.js";
import type { AcquisitionFunction } from "../../src/numerics/acquisition/index.js";
import { Rng } from "../../src/util/rng.js";
import { choice, constrainedIntegerSpace, float, int } from "./helpers.js";

/** An acquisition that counts its evaluations. */
function counting(evaluate: AcquisitionFunction["evaluate"]): AcquisitionFunction & { calls: number } {
  const a = {
    calls: 0,
    evaluate: (x: Float64Array, g?: Float64Array) => {
      a.calls++;
      return evaluate(x, g);
    },
  };
  return a;
}

/** An acquisition that depends on the decoded arm only (piecewise constant: zero gradient). */
function onArms(encoding: SearchSpaceEncoding, value: (p: Parameterization) => number) {
  return counting((x, g) => {
    g?.fill(0);
    return value(encoding.decode(x));
  });
}

function optimize(
  encoding: SearchSpaceEncoding,
  acquisition: AcquisitionFunction,
  extra: Partial<OptimizeAcquisitionOptions> = {},
): RankedCandidate[] {
  return optimizeAcquisition({
    acquisition,
    encoding,
    rawSamples: drawRawSamples(encoding, 128, 11, new Float64Array(0)),
    numStarts: 4,
    maxIterations: 100,
    ...extra,
  });
}

/** Every candidate is an arm of the space, exactly on the grid, and ranked best first. */
function expectValidRanking(encoding: SearchSpaceEncoding, candidates: readonly RankedCandidate[]) {
  expect(candidates.length).toBeGreaterThan(0);
  const signatures = new Set<string>();
  candidates.forEach((c, i) => {
    const arm = encoding.decode(c.x);
    expect(encoding.searchSpace.explainMembership(arm)).toBeNull();
    expect(Array.from(encoding.encode(arm))).toEqual(Array.from(c.x));
    signatures.add(armSignature(arm));
    if (i > 0) expect(c.value).toBeLessThanOrEqual(candidates[i - 1]!.value);
  });
  expect(signatures.size).toBe(candidates.length);
}

/**
 * A peak at `center` (in the relaxed value v) that falls 100 times faster below it than above: the
 * relaxed optimum is `center`, rounding it goes down, yet the integer above is better.
 */
function lopsidedPeak(v: number, center: number): { value: number; slope: number } {
  const d = (v - center) / 100;
  const c = d < 0 ? 1 : 0.01;
  return { value: -c * d * d, slope: (-2 * c * d) / 100 };
}

describe("DiscreteGrid", () => {
  const space = new SearchSpace({
    parameters: [
      int("n", 1, 1000, true),
      choice("size", ["S", "M", "L"], true),
      choice("opt", ["a", "b", "c"]),
      float("x", 0, 1),
      new FixedParameter({ name: "f", value: 2 }),
    ],
  });
  const encoding = new SearchSpaceEncoding(space);
  const grid = new DiscreteGrid(encoding);

  it("projects a relaxed point onto the arm the encoding decodes it to", () => {
    const x = Float64Array.from([0.5, 0.5, 0.2, 0.7, 0.1, 0.25]);
    const snapped = grid.snap(x);
    expect(encoding.decode(snapped)).toEqual(encoding.decode(x));
    expect(encoding.decode(snapped)).toMatchObject({ size: "M", opt: "b", x: 0.25, f: 2 });
    expect(Array.from(grid.snap(snapped))).toEqual(Array.from(snapped));
  });

  it("moves ordered parameters one level and unordered ones to every other value", () => {
    const x = encoding.encode({ n: 1, size: "S", opt: "c", x: 0.4 });
    const moved = grid.neighbours(x).map((y) => encoding.decode(y));
    expect(moved).toEqual([
      { n: 2, size: "S", opt: "c", x: 0.4, f: 2 },
      { n: 1, size: "M", opt: "c", x: 0.4, f: 2 },
      { n: 1, size: "S", opt: "a", x: 0.4, f: 2 },
      { n: 1, size: "S", opt: "b", x: 0.4, f: 2 },
    ]);
  });

  it("visits every discrete combination once, keeping the continuous coordinates", () => {
    const small = new SearchSpaceEncoding(
      new SearchSpace({ parameters: [int("k", 1, 4), choice("opt", ["a", "b", "c"]), float("x", 0, 1)] }),
    );
    const g = new DiscreteGrid(small);
    expect(g.cardinality).toBe(12);
    const seen = new Set<string>();
    g.forEachCombination(small.encode({ k: 2, opt: "b", x: 0.7 }), (y) => {
      const p = small.decode(y);
      expect(p.x).toBe(0.7);
      seen.add(armSignature(p));
    });
    expect(seen.size).toBe(12);
  });
});

describe("discrete acquisition optimization: integers", () => {
  // k in 1..5000: more points than are enumerated, so the relaxation + local search path runs.
  const encoding = new SearchSpaceEncoding(new SearchSpace({ parameters: [int("k", 1, 5000)] }));
  const acquisition = counting((x, g) => {
    const v = 0.5 + 5000 * x[0]!;
    const { value, slope } = lopsidedPeak(v, 4000.4);
    if (g) g[0] = slope * 5000;
    return value;
  });

  it("the searched point is at least as good as the rounded relaxed optimum, and here better", () => {
    const start = drawRawSamples(encoding, 1, 3, new Float64Array(0));
    const [relaxed] = optimizeRelaxation({ acquisition, encoding, maxIterations: 100 }, start, 1);
    const grid = new DiscreteGrid(encoding);
    const rounded = grid.snap(relaxed!.x);
    expect(encoding.decode(rounded).k).toBe(4000);
    const scorer = new GridScorer({ acquisition, grid });
    const plain = scorer.score(rounded);
    const searched = localSearch(scorer, plain);
    expect(searched.value).toBeGreaterThanOrEqual(plain.value);
    expect(encoding.decode(searched.x).k).toBe(4001);
    expect(searched.value).toBeGreaterThan(plain.value);
  });

  it("optimizeAcquisition returns the best integer first, on the grid", () => {
    const candidates = optimize(encoding, acquisition);
    expect(encoding.decode(candidates[0]!.x).k).toBe(4001);
    expect(candidates[0]!.value).toBe(acquisition.evaluate(encoding.encode({ k: 4001 })));
    expectValidRanking(encoding, candidates);
  });

  it("walks off a taken optimum to the best free neighbour", () => {
    const taken = armSignature({ k: 4001 });
    const candidates = optimize(encoding, acquisition, { isTaken: (s) => s === taken });
    // 4002 (0.016 above the center, on the gentle side) beats 4000 (0.004 below it, on the steep side).
    expect(encoding.decode(candidates[0]!.x).k).toBe(4002);
    expect(candidates.every((c) => armSignature(encoding.decode(c.x)) !== taken)).toBe(true);
  });

  it("steps integers on log scale by one integer and finds the log-space optimum", () => {
    const log = new SearchSpaceEncoding(new SearchSpace({ parameters: [int("n", 1, 100_000, true)] }));
    const grid = new DiscreteGrid(log);
    const neighbours = grid.neighbours(log.encode({ n: 37 })).map((x) => log.decode(x).n);
    expect(neighbours.sort()).toEqual([36, 38]);
    const [a, b] = [Math.log10(0.5), Math.log10(100_000.5)];
    const target = Math.log10(37);
    const peak = counting((x, g) => {
      const t = a + x[0]! * (b - a);
      if (g) g[0] = -2 * (t - target) * (b - a);
      return -((t - target) ** 2);
    });
    const candidates = optimize(log, peak);
    expect(log.decode(candidates[0]!.x).n).toBe(37);
    expectValidRanking(log, candidates);
  });
});

describe("discrete acquisition optimization: choices", () => {
  it("enumerates a small discrete space and ranks every arm exactly", () => {
    const space = new SearchSpace({
      parameters: [
        choice("color", ["red", "green", "blue", "yellow"]),
        choice("size", ["S", "M", "L"], true),
        int("k", 1, 10),
        new FixedParameter({ name: "f", value: 1 }),
      ],
    });
    const encoding = new SearchSpaceEncoding(space);
    // A random table: no structure a relaxation or a local search could exploit.
    const rng = new Rng(5);
    const table = new Map<string, number>();
    const arms: Parameterization[] = [];
    for (const color of ["red", "green", "blue", "yellow"]) {
      for (const size of ["S", "M", "L"]) {
        for (let k = 1; k <= 10; k++) {
          const arm = { color, size, k, f: 1 };
          arms.push(arm);
          table.set(armSignature(arm), rng.next());
        }
      }
    }
    const acquisition = onArms(encoding, (p) => table.get(armSignature(p))!);
    const byValue = [...arms].sort((p, q) => table.get(armSignature(q))! - table.get(armSignature(p))!);
    const candidates = optimize(encoding, acquisition);
    expect(candidates).toHaveLength(120);
    expect(encoding.decode(candidates[0]!.x)).toEqual(byValue[0]);
    expectValidRanking(encoding, candidates);
    const best = armSignature(byValue[0]!);
    const rest = optimize(encoding, acquisition, { isTaken: (s) => s === best });
    expect(rest).toHaveLength(119);
    expect(encoding.decode(rest[0]!.x)).toEqual(byValue[1]);
  });

  it("optimizes the continuous part for each of a few discrete combinations", () => {
    const space = new SearchSpace({
      parameters: [choice("opt", ["a", "b", "c", "d"]), int("k", 1, 5), float("x", 0, 1)],
    });
    const encoding = new SearchSpaceEncoding(space);
    const x = encoding.parameterColumns("x").start;
    const centers: Record<string, number> = { a: 0.1, b: 0.35, c: 0.8, d: 0.55 };
    // Best at opt = "c", k = 2, x = 0.8; "a" is best on average, so a relaxation would lean to it.
    const acquisition = counting((z, g) => {
      const p = encoding.decode(z);
      const opt = p.opt as string;
      const bonus = opt === "c" && p.k === 2 ? 1 : opt === "a" ? 0.8 : 0;
      const d = z[x]! - centers[opt]!;
      if (g) {
        g.fill(0);
        g[x] = -2 * d;
      }
      return bonus - d * d;
    });
    const candidates = optimize(encoding, acquisition);
    const best = encoding.decode(candidates[0]!.x);
    expect(best.opt).toBe("c");
    expect(best.k).toBe(2);
    expect(best.x as number).toBeCloseTo(0.8, 4);
    expectValidRanking(encoding, candidates);
  });

  it("searches 30 × 30 × 30 categories locally and finds the optimum of an additive acquisition", () => {
    const names = ["a", "b", "c"];
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const space = new SearchSpace({
      parameters: [...names.map((n) => choice(n, values)), new FixedParameter({ name: "f", value: "on" })],
    });
    const encoding = new SearchSpaceEncoding(space);
    const rng = new Rng(9);
    const w = Float64Array.from({ length: encoding.dimension }, () => rng.normal());
    // Linear in the one-hot columns: the relaxation pushes every positive column to 1, so its argmax
    // is the first positive column of each block, not the best one; the local search has to fix it.
    const acquisition = counting((x, g) => {
      if (g) g.set(w);
      let s = 0;
      for (let j = 0; j < w.length; j++) s += w[j]! * x[j]!;
      return s;
    });
    const candidates = optimize(encoding, acquisition);
    const expected: Record<string, ParameterValue> = { f: "on" };
    names.forEach((n, i) => {
      const block = Array.from(w.subarray(30 * i, 30 * (i + 1)));
      expected[n] = values[block.indexOf(Math.max(...block))]!;
    });
    expect(encoding.decode(candidates[0]!.x)).toEqual(expected);
    expectValidRanking(encoding, candidates);
    // 27,000 arms were not enumerated.
    expect(acquisition.calls).toBeLessThan(27_000 / 4);
  });
});

describe("discrete acquisition optimization: parameter constraints", () => {
  it("returns only arms that satisfy linear and log-scale constraints, the best on the boundary", () => {
    const space = constrainedIntegerSpace();
    const encoding = new SearchSpaceEncoding(space);
    // Increasing in every column: the unconstrained optimum (30, 30, 10, 100) violates every constraint.
    const acquisition = counting((x, g) => {
      if (g) g.fill(1);
      return x.reduce((s, v) => s + v, 0);
    });
    const candidates = optimize(encoding, acquisition);
    expectValidRanking(encoding, candidates);
    const best = encoding.decode(candidates[0]!.x) as Record<string, number>;
    expect(best.a! + best.b!).toBe(20);
    expect(best.c! - best.a!).toBeLessThanOrEqual(10);
  });
});
