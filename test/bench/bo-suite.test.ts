import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configByName, parseConfigJson } from "../../bench/bo-suite/configs.js";
import type { SuiteProblem } from "../../bench/bo-suite/problem.js";
import { boxProblem } from "../../bench/bo-suite/problems/box.js";
import { hartmann6L1 } from "../../bench/bo-suite/problems/constrained.js";
import { BraninEmbedded10 } from "../../bench/bo-suite/problems/embedded.js";
import { problemsByKey, SUITE_PROBLEMS } from "../../bench/bo-suite/problems/index.js";
import { MIXED_OPTIMUM, mixedProblem, mixedValue } from "../../bench/bo-suite/problems/mixed.js";
import { ackley, levy, Michalewicz5, styblinskiTang } from "../../bench/bo-suite/problems/rugged.js";
import {
  BraninExact,
  Hartmann3,
  Hartmann6Exact,
  Shekel10,
  SixHumpCamel,
} from "../../bench/bo-suite/problems/smooth.js";
import { dixonPrice, GoldsteinPrice, rosenbrock } from "../../bench/bo-suite/problems/valley.js";
import { mergeCell, OPTUNA_PATH, readResults } from "../../bench/bo-suite/results-file.js";
import { runSuiteSeed, type SuiteSeedResult } from "../../bench/bo-suite/run-seed.js";
import { averageRanks, meanRanks, summarizeCell } from "../../bench/bo-suite/summary.js";
import { Rng, type TestFunction } from "../../src/index.js";

/** Literature values of the minima (Surjanovic & Bingham's library of test functions, rounded as printed there). */
const LITERATURE: [TestFunction, number, number][] = [
  [BraninExact, 0.397887, 1e-6],
  [Hartmann3, -3.86278, 1e-5],
  [Hartmann6Exact, -3.32237, 1e-5],
  [Shekel10, -10.5364, 1e-4],
  [SixHumpCamel, -1.0316, 1e-4],
  [GoldsteinPrice, 3, 0],
  [rosenbrock(4), 0, 0],
  [dixonPrice(4), 0, 1e-15],
  [ackley(5), 0, 1e-15],
  [levy(5), 0, 1e-15],
  [styblinskiTang(4), -39.16617 * 4, 1e-4],
  [Michalewicz5, -4.687658, 1e-6],
  [BraninEmbedded10, 0.397887, 1e-6],
];

describe("bo-suite test functions", () => {
  it.each(LITERATURE.map(([fn, value, tol]) => [fn.name, fn, value, tol] as const))(
    "%s gives its known minimum at its known optimizer",
    (_name, fn, literature, tolerance) => {
      const atOptimizer = fn.evaluate(fn.optimizer);
      expect(Math.abs(atOptimizer - fn.optimalValue)).toBeLessThan(1e-9);
      expect(Math.abs(fn.optimalValue - literature)).toBeLessThanOrEqual(tolerance);
    },
  );

  it.each(LITERATURE.map(([fn]) => [fn.name, fn] as const))(
    "%s: no seeded random point of the box nor near the optimizer is below the minimum",
    (_name, fn) => {
      const rng = new Rng(7);
      for (let i = 0; i < 2000; i++) {
        const near = i % 2 === 0;
        const x = fn.bounds.map(([lo, hi], j) => {
          const v = near
            ? fn.optimizer[j]! + (rng.next() - 0.5) * 1e-3 * (hi - lo)
            : lo + rng.next() * (hi - lo);
          return Math.min(hi, Math.max(lo, v));
        });
        expect(fn.evaluate(x)).toBeGreaterThanOrEqual(fn.optimalValue - 1e-12);
      }
    },
  );

  it("separates the basins the thresholds say: a local minimum of Hartmann3 lies beyond its threshold", () => {
    const local = Hartmann3.evaluate([0.70628, 0.54179, 0.85098]) - Hartmann3.optimalValue;
    const hartmann3 = problemsByKey(["hartmann3"])[0]!;
    expect(local).toBeGreaterThan(hartmann3.basinRegret!);
    expect(local).toBeCloseTo(0.1805, 3);
  });
});

describe("bo-suite problems", () => {
  it("has at least 18 problems with distinct keys and budgets of 10·d to 20·d", () => {
    expect(SUITE_PROBLEMS.length).toBeGreaterThanOrEqual(18);
    expect(new Set(SUITE_PROBLEMS.map((p) => p.key)).size).toBe(SUITE_PROBLEMS.length);
    for (const p of SUITE_PROBLEMS) {
      expect(p.budget).toBeGreaterThanOrEqual(10 * p.dimension);
      expect(p.budget).toBeLessThanOrEqual(20 * p.dimension);
      expect(p.parameters).toHaveLength(p.dimension);
    }
  });

  it("the mixed problem reaches f* exactly at its optimum, and every other kind or k is worse", () => {
    const noise = new Rng(0);
    const atOptimum = mixedProblem.evaluate({ ...MIXED_OPTIMUM }, noise);
    expect(atOptimum.value).toBeCloseTo(mixedProblem.optimalValue, 12);
    const x = [MIXED_OPTIMUM.x1, MIXED_OPTIMUM.x2, MIXED_OPTIMUM.x3];
    for (const kind of ["a", "c", "d"] as const)
      expect(mixedValue(x, 3, kind, MIXED_OPTIMUM.lr)).toBeGreaterThan(mixedProblem.optimalValue + 0.29);
    expect(mixedValue(x, 4, "b", MIXED_OPTIMUM.lr) - mixedProblem.optimalValue).toBeCloseTo(0.1, 12);
    expect(mixedValue(x, 3, "b", 1e-3) - mixedProblem.optimalValue).toBeCloseTo(0.2 * 0.25, 12);
  });

  it("Hartmann6 with ||x||₁ ≤ 1: the optimum is feasible, on the box's face, and no feasible sample beats it", () => {
    const opt = [
      0,
      0,
      0,
      0.1973009382553802,
      0.2512957766463159,
      1 - 0.1973009382553802 - 0.2512957766463159,
    ];
    const params = Object.fromEntries(opt.map((v, i) => [`x${i + 1}`, v]));
    const evaluation = hartmann6L1.evaluate(params, new Rng(0));
    expect(evaluation.feasible).toBe(true);
    expect(Math.abs(evaluation.value - hartmann6L1.optimalValue)).toBeLessThan(1e-12);
    const rng = new Rng(3);
    for (let i = 0; i < 5000; i++) {
      // Points of the simplex Σx ≤ 1 by sorted uniforms.
      const cuts = Array.from({ length: 6 }, () => rng.next()).sort((a, b) => a - b);
      const x = cuts.map((c, j) => c - (cuts[j - 1] ?? 0));
      expect(Hartmann6Exact.evaluate(x)).toBeGreaterThanOrEqual(hartmann6L1.optimalValue - 1e-12);
    }
  });

  it("noisy problems report noisy values and known sem as configured", () => {
    const [h6, branin] = problemsByKey(["hartmann6-noisy", "branin-noisy"]) as [
      (typeof SUITE_PROBLEMS)[number],
      (typeof SUITE_PROBLEMS)[number],
    ];
    const noise = new Rng(1);
    const x = Object.fromEntries(Hartmann6Exact.optimizer.map((v, i) => [`x${i + 1}`, v]));
    const e = h6.evaluate(x, noise);
    expect(e.value).toBeCloseTo(Hartmann6Exact.optimalValue, 12);
    const [mean, sem] = e.report.f as [number, number];
    expect(sem).toBe(0.1);
    expect(mean).not.toBe(e.value);
    const b = branin.evaluate({ x1: Math.PI, x2: 2.275 }, noise);
    expect(typeof b.report.f).toBe("number");
  });

  it("flags only the problems whose optimum sits on a bound", () => {
    expect(SUITE_PROBLEMS.filter((p) => p.optimumOnBound).map((p) => p.key)).toEqual(["hartmann6-l1"]);
  });
});

describe("bo-suite runs", () => {
  const small = { ...boxProblem(BraninExact, { key: "branin-small", family: "smooth", budget: 12 }) };

  it("one seed is reproducible and its regrets are consistent (best-so-far never worsens)", async () => {
    const config = configByName("default");
    const a = await runSuiteSeed(small, config, 3);
    const b = await runSuiteSeed(small, config, 3);
    expect(a.finalLog10Regret).toBe(b.finalLog10Regret);
    expect(a.recommendation).toEqual(b.recommendation);
    expect(a.finalLog10Regret).toBeLessThanOrEqual(a.halfLog10Regret);
    expect(a.genMs.length).toBe(12 - 5);
    expect(a.boRangeValues).toBe(2 * (12 - 5));
    expect(a.recommendation.observed).toBe(a.finalLog10Regret);
  });

  it("Sobol runs have no BoTorch steps and no edge values", async () => {
    const r = await runSuiteSeed(small, configByName("sobol"), 0);
    expect(r.genMs).toEqual([]);
    expect(r.boRangeValues).toBe(0);
  });
});

describe("bo-suite summary", () => {
  it("averages the ranks of ties", () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
    expect(averageRanks([1, 1, 1])).toEqual([2, 2, 2]);
  });

  it("ranks configurations only over problems all of them have", () => {
    const ranks = meanRanks(
      new Map([
        [
          "a",
          new Map([
            ["p", -3],
            ["q", -1],
            ["r", 0],
          ]),
        ],
        [
          "b",
          new Map([
            ["p", -2],
            ["q", -1],
          ]),
        ],
      ]),
    );
    expect(ranks.get("a")).toEqual({ meanRank: 1.25, problems: 2 });
    expect(ranks.get("b")).toEqual({ meanRank: 1.75, problems: 2 });
  });

  it("summarizes a cell: shares, edge share and missing recommendation rules", () => {
    const s = summarizeCell([
      {
        seed: 0,
        finalLog10Regret: -4,
        halfLog10Regret: -1,
        inGlobalBasin: 1,
        boRangeValues: 10,
        boEdgeValues: 1,
        recommendation: { observed: -4 },
      },
      {
        seed: 1,
        finalLog10Regret: -2,
        halfLog10Regret: 0,
        inGlobalBasin: 0,
        boRangeValues: 10,
        boEdgeValues: 3,
        recommendation: { observed: -2 },
      },
    ]);
    expect(s.meanFinalLog10Regret).toBe(-3);
    expect(s.within1e3Share).toBe(0.5);
    expect(s.globalBasinShare).toBe(0.5);
    expect(s.edgeShare).toBeCloseTo(0.2, 12);
    expect(s.recommendation.observed.mean).toBe(-3);
    expect(Number.isNaN(s.recommendation.model.mean)).toBe(true);
  });
});

describe("bo-suite configurations", () => {
  it("parses --config-json and refuses malformed ones with a hint", () => {
    expect(parseConfigJson(["--config-json", 'wide={"numStarts":16}'])).toEqual({ wide: { numStarts: 16 } });
    expect(() => parseConfigJson(["--config-json", "wide=16"])).toThrow(/expected name=/);
    expect(() => parseConfigJson(["--config-json", 'sobol={"a":1}'])).toThrow(/other than sobol/);
    expect(() => configByName("nope")).toThrow(/Unknown configuration nope.*--config-json/);
    expect(configByName("default")).toEqual({ name: "default", kind: "botorch", kwargs: {} });
  });
});

describe("bo-suite Optuna reference", () => {
  it("the committed JSON covers the same problem keys with the same budgets as the TypeScript problems", () => {
    const json = JSON.parse(readFileSync(OPTUNA_PATH, "utf8")) as {
      problems: Record<string, { budget: number; runs: unknown[] }>;
    };
    expect(Object.keys(json.problems).sort()).toEqual(SUITE_PROBLEMS.map((p) => p.key).sort());
    for (const p of SUITE_PROBLEMS) {
      expect(json.problems[p.key]!.budget).toBe(p.budget);
      expect(json.problems[p.key]!.runs).toHaveLength(20);
    }
  });
});

describe("bo-suite results file", () => {
  const figures = (seed: number, final: number): SuiteSeedResult => ({
    seed,
    finalLog10Regret: final,
    halfLog10Regret: 0,
    genMs: [],
    boRangeValues: 0,
    boEdgeValues: 0,
    recommendation: { default: final, observed: final, model: final },
    seconds: 0,
  });

  it("merges cells by configuration and problem, keeping the others and replacing only the same cell", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bo-suite-")), "bo-suite.json");
    const [branin, levy] = problemsByKey(["branin", "levy"]) as [SuiteProblem, SuiteProblem];
    const wide = configByName("wide", { wide: { numStarts: 16 } });
    mergeCell(branin, configByName("default"), [figures(0, -3)], path);
    mergeCell(levy, configByName("default"), [figures(0, -1)], path);
    mergeCell(branin, wide, [figures(0, -4)], path);
    mergeCell(branin, configByName("default"), [figures(0, -2), figures(1, -2)], path);
    const file = readResults(path);
    expect(Object.keys(file.results).sort()).toEqual(["default", "wide"]);
    expect(file.results.default!.branin!.seeds).toEqual([0, 1]);
    expect(file.results.default!.levy!.runs[0]!.finalLog10Regret).toBe(-1);
    expect(file.results.wide!.branin!.kwargs).toEqual({ numStarts: 16 });
    expect(file.problems.levy!.budget).toBe(60);
  });
});
