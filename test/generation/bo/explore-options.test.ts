import { describe, expect, it } from "vitest";
import { SearchSpaceEncoding } from "../../../src/adapter/search-space-encoding.js";
import { Experiment } from "../../../src/core/experiment.js";
import type { JsonValue } from "../../../src/core/json.js";
import { ReportedMetric } from "../../../src/core/metric.js";
import { Objective } from "../../../src/core/objective.js";
import { OptimizationConfig } from "../../../src/core/optimization-config.js";
import { SearchSpace } from "../../../src/core/search-space.js";
import { GenerationStrategyError } from "../../../src/errors.js";
import { parseBoTorchOptions } from "../../../src/generation/bo/botorch-options.js";
import { applyBoundaryRule, onBound } from "../../../src/generation/bo/boundary-rule.js";
import type { RankedCandidate } from "../../../src/generation/bo/candidate-optimizer.js";
import { spreadStarts } from "../../../src/generation/bo/start-selection.js";
import {
  THOMPSON_SOBOL_POINTS,
  thompsonCandidateSet,
  thompsonCandidates,
} from "../../../src/generation/bo/thompson-step.js";
import { BoTorchGenerator } from "../../../src/generation/bo-generator.js";
import { SobolGenerator } from "../../../src/generation/sobol-generator.js";
import { createGp, samplePosteriorJointly } from "../../../src/numerics/gp/index.js";
import { FakeClock } from "../../../src/util/clock.js";
import { Rng } from "../../../src/util/rng.js";
import { type Evaluate, float, runSequential } from "../helpers.js";

const F = (values: number[]) => Float64Array.from(values);
const ranked = (x: number[], value: number): RankedCandidate => ({ x: F(x), value });

function square(): SearchSpace {
  return new SearchSpace({ parameters: [float("x1", 0, 1), float("x2", 0, 1)] });
}

function maximizing(searchSpace: SearchSpace): Experiment {
  const objective = new Objective({ metric: new ReportedMetric({ name: "f" }), minimize: false });
  return new Experiment({
    name: "explore",
    searchSpace,
    optimizationConfig: new OptimizationConfig({ objective }),
    clock: new FakeClock(),
  });
}

async function afterSobol(evaluate: Evaluate, count: number, sem: number | null = 0): Promise<Experiment> {
  const experiment = maximizing(square());
  await runSequential(
    experiment,
    new SobolGenerator({ searchSpace: square(), seed: 3 }),
    count,
    evaluate,
    sem,
  );
  return experiment;
}

const bumps: Evaluate = (p) => {
  const [a, b] = [p.x1 as number, p.x2 as number];
  return {
    f:
      Math.exp(-20 * ((a - 0.3) ** 2 + (b - 0.6) ** 2)) +
      0.8 * Math.exp(-30 * ((a - 0.8) ** 2 + (b - 0.2) ** 2)),
  };
};

describe("parseBoTorchOptions (exploration and edges)", () => {
  it("accepts thompsonEvery, spreadStarts and edgeMargin", () => {
    expect(parseBoTorchOptions({ thompsonEvery: 5, spreadStarts: true, edgeMargin: 1.5 })).toEqual({
      thompsonEvery: 5,
      spreadStarts: true,
      edgeMargin: 1.5,
    });
    expect(parseBoTorchOptions({ thompsonEvery: 0, edgeMargin: null })).toEqual({
      thompsonEvery: 0,
      edgeMargin: null,
    });
    expect(parseBoTorchOptions({ gpPrior: "gamma" })).toEqual({ gpPrior: "gamma" });
  });

  it("refuses values of the wrong kind, naming the option", () => {
    const bads: Record<string, JsonValue>[] = [
      { thompsonEvery: 1.5 },
      { thompsonEvery: -1 },
      { spreadStarts: 1 },
      { edgeMargin: -1 },
      { gpPrior: "uniform" },
    ];
    for (const bad of bads) {
      expect(() => parseBoTorchOptions(bad)).toThrow(GenerationStrategyError);
      expect(() => parseBoTorchOptions(bad)).toThrow(Object.keys(bad)[0]!);
    }
  });
});

describe("spreadStarts", () => {
  it("keeps the best half and adds the good raw samples farthest from the starts", () => {
    // Values fall along the list; the best points cluster near the origin.
    const raw = [
      ranked([0.1, 0.1], 10),
      ranked([0.11, 0.1], 9),
      ranked([0.1, 0.12], 8),
      ranked([0.12, 0.12], 7),
      ranked([0.9, 0.9], 6),
      ranked([0.13, 0.1], 5),
      ranked([0.1, 0.9], 4),
      ranked([0.5, 0.5], 3),
      ranked([0.11, 0.11], 2),
      ranked([0.9, 0.1], 1),
      ranked([0.12, 0.1], 0),
      ranked([0.1, 0.13], -1),
      ranked([0.13, 0.13], -2),
      ranked([0.14, 0.1], -3),
      ranked([0.1, 0.14], -4),
      ranked([0.14, 0.14], -5),
    ];
    const starts = spreadStarts(raw, 4);
    expect(starts.map((s) => s.value)).toEqual([10, 9, 6, 4]);
    expect(spreadStarts(raw, 40)).toHaveLength(16);
  });
});

describe("applyBoundaryRule", () => {
  const raw = [ranked([0.4, 0.5], -3), ranked([0.6, 0.2], -2.5)];

  it("ranks a bound optimum the mean does not justify after the best interior candidate", () => {
    const corner = ranked([1, 0], -1);
    const interior = ranked([0.45, 0.55], -2);
    const out = applyBoundaryRule([corner, interior], raw, { margin: 2, meanGradient: () => F([-1, 1]) });
    expect(out.map((c) => c.value)).toEqual([-2, -2.5, -1]);
  });

  it("keeps a corner where the mean increases outward, whatever the margin", () => {
    const corner = ranked([1, 0], -1);
    const out = applyBoundaryRule([corner, ranked([0.45, 0.55], -2)], raw, {
      margin: 1e6,
      meanGradient: () => F([0.5, -0.1]),
    });
    expect(out[0]).toBe(corner);
  });

  it("keeps a bound optimum that beats the best interior candidate by the margin", () => {
    const corner = ranked([0, 0.3], 1);
    const out = applyBoundaryRule([corner, ranked([0.45, 0.55], -2)], raw, {
      margin: 2.5,
      meanGradient: null,
    });
    expect(out[0]).toBe(corner);
    expect(onBound(out[0]!.x)).toBe(true);
  });
});

describe("Thompson candidates", () => {
  const gp = createGp({
    X: F([0.2, 0.2, 0.8, 0.3, 0.5, 0.9]),
    n: 3,
    d: 2,
    Y: F([1, 0.2, -0.5]),
    Yvar: F([0, 0, 0]),
    hyperparameters: { lengthscales: [0.3, 0.3], outputscale: 1, constantMean: 0, noiseVariance: null },
  });
  const surrogate = { model: gp, X: F([0.2, 0.2, 0.8, 0.3, 0.5, 0.9]), Y: F([1, 0.2, -0.5]) };
  const encoding = new SearchSpaceEncoding(square());

  it("puts the argmax of the joint posterior draw first", () => {
    const X = thompsonCandidateSet(surrogate, encoding, 11);
    const m = X.length / 2;
    // 512 Sobol points and 32 perturbations of each of the 3 observed points, all inside the square.
    expect(m).toBe(THOMPSON_SOBOL_POINTS + 3 * 32);
    expect(X.every((v) => v >= 0 && v <= 1)).toBe(true);
    const candidates = thompsonCandidates(surrogate, encoding, 11);
    const best = Math.max(...candidates.map((c) => c.value));
    expect(candidates[0]!.value).toBe(best);
    expect(candidates).toHaveLength(m);
  });

  it("is one draw per seed, the same draw for the same seed", () => {
    const a = thompsonCandidates(surrogate, encoding, 4);
    const b = thompsonCandidates(surrogate, encoding, 4);
    expect([...a[0]!.x]).toEqual([...b[0]!.x]);
    const X = thompsonCandidateSet(surrogate, encoding, 4);
    const draw = samplePosteriorJointly(gp, X, X.length / 2, new Rng(4 ^ 0x5bd1e995));
    expect(a[0]!.value).toBe(Math.max(...draw));
  });
});

describe("parseBoTorchOptions (GP fit restarts)", () => {
  it("accepts cold restarts as null or an integer and warm restarts as an integer, 0 to 64", () => {
    expect(parseBoTorchOptions({ coldFitRestarts: 8, warmFitRestarts: 2 })).toEqual({
      coldFitRestarts: 8,
      warmFitRestarts: 2,
    });
    expect(parseBoTorchOptions({ coldFitRestarts: null, warmFitRestarts: 0 })).toEqual({
      coldFitRestarts: null,
      warmFitRestarts: 0,
    });
  });

  it.each([
    { coldFitRestarts: -1 },
    { coldFitRestarts: 1.5 },
    { coldFitRestarts: 65 },
    { warmFitRestarts: null },
    { warmFitRestarts: "2" },
  ] as Record<string, JsonValue>[])("rejects %j with a named error", (kwargs) => {
    expect(() => parseBoTorchOptions(kwargs)).toThrow(GenerationStrategyError);
    expect(() => parseBoTorchOptions(kwargs)).toThrow(/from 0 to 64/);
  });
});

describe("BoTorchGenerator with GP fit restarts", () => {
  it("warm restarts change nothing that a seed does not fix: same seed, same arms", async () => {
    const arms = async () => {
      const experiment = await afterSobol(bumps, 6);
      const generator = new BoTorchGenerator({
        searchSpace: square(),
        seed: 4,
        options: { coldFitRestarts: 4, warmFitRestarts: 2 },
      });
      const runs = await runSequential(experiment, generator, 3, bumps);
      return runs.map((r) => r.arms[0]!.signature);
    };
    const first = await arms();
    expect(new Set(first).size).toBe(3);
    expect(await arms()).toEqual(first);
  });
});

describe("BoTorchGenerator with thompsonEvery, spreadStarts and edgeMargin", () => {
  it("proposes by Thompson sampling on every k-th call only, deterministically for a seed", async () => {
    const tags = async () => {
      const experiment = await afterSobol(bumps, 6);
      const generator = new BoTorchGenerator({
        searchSpace: square(),
        seed: 1,
        options: { thompsonEvery: 2 },
      });
      const runs = await runSequential(experiment, generator, 4, bumps);
      return runs.map((r) => ({
        by: r.candidateMetadata[0]?.suggestedBy ?? "acquisition",
        arm: r.arms[0]!.signature,
      }));
    };
    const first = await tags();
    expect(first.map((t) => t.by)).toEqual([
      "acquisition",
      "ThompsonSampling",
      "acquisition",
      "ThompsonSampling",
    ]);
    expect(await tags()).toEqual(first);
  });

  it("a Thompson step proposes another arm than the acquisition would", async () => {
    const experiment = await afterSobol(bumps, 6);
    const arm = async (options: Record<string, number>) =>
      (
        await new BoTorchGenerator({ searchSpace: square(), seed: 2, options }).gen({
          experiment,
          n: 1,
          pendingArms: [],
        })
      ).arms[0]!.signature;
    expect(await arm({ thompsonEvery: 1 })).not.toBe(await arm({}));
  });

  it("keeps a corner optimum under the edge rule, even with a margin no value can beat", async () => {
    const corner: Evaluate = (p) => ({ f: (p.x1 as number) + 2 * (p.x2 as number) });
    const experiment = await afterSobol(corner, 6);
    const generator = new BoTorchGenerator({ searchSpace: square(), seed: 0, options: { edgeMargin: 1e6 } });
    const run = await generator.gen({ experiment, n: 1, pendingArms: [] });
    expect(run.arms[0]!.parameters).toEqual({ x1: 1, x2: 1 });
  });

  it("with spread starts still finds the better of two bumps", async () => {
    const experiment = await afterSobol(bumps, 8);
    const generator = new BoTorchGenerator({
      searchSpace: square(),
      seed: 0,
      options: { spreadStarts: true },
    });
    await runSequential(experiment, generator, 12, bumps);
    const best = Math.max(...experiment.lookupData({ metricNames: ["f"] }).rows.map((r) => r.mean));
    expect(best).toBeGreaterThan(0.99);
  });
});
