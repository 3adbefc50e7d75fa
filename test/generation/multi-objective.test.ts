import { describe, expect, it } from "vitest";
import { Experiment } from "../../src/core/experiment.js";
import { ReportedMetric } from "../../src/core/metric.js";
import { MultiObjective, Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ObjectiveThreshold, OutcomeConstraint } from "../../src/core/outcome-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { DataRequiredError, GenerationStrategyError } from "../../src/errors.js";
import { SCALARIZED_MODEL_NAME } from "../../src/generation/bo/multi-objective.js";
import {
  augmentedChebyshev,
  normalizeObjectives,
  sampleSimplex,
} from "../../src/generation/bo/scalarization.js";
import { BoTorchGenerator } from "../../src/generation/bo-generator.js";
import { GenerationStep } from "../../src/generation/generation-step.js";
import { GenerationStrategy } from "../../src/generation/generation-strategy.js";
import { Generators } from "../../src/generation/generators.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { hypervolume } from "../../src/numerics/pareto/index.js";
import { braninCurrin } from "../../src/numerics/test-functions.js";
import { FakeClock } from "../../src/util/clock.js";
import { Rng } from "../../src/util/rng.js";
import { completeRun, type Evaluate, runSequential } from "./helpers.js";

const unit = (name: string) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });
const unitSquare = () => new SearchSpace({ parameters: [unit("x1"), unit("x2")] });

const evalBraninCurrin: Evaluate = (p) => {
  const [branin, currin] = braninCurrin(p.x1 as number, p.x2 as number);
  return { branin, currin };
};

interface ObjectiveOptions {
  name: string;
  minimize: boolean;
  threshold?: number;
  relative?: boolean;
}

function moExperiment(
  objectives: ObjectiveOptions[],
  options: {
    searchSpace?: SearchSpace;
    constraints?: { metric: string; op: "LEQ" | "GEQ"; bound: number }[];
  } = {},
): Experiment {
  const metrics = new Map(objectives.map((o) => [o.name, new ReportedMetric({ name: o.name })]));
  return new Experiment({
    name: "mo",
    searchSpace: options.searchSpace ?? unitSquare(),
    optimizationConfig: new OptimizationConfig({
      objective: new MultiObjective({
        objectives: objectives.map(
          (o) => new Objective({ metric: metrics.get(o.name)!, minimize: o.minimize }),
        ),
      }),
      objectiveThresholds: objectives
        .filter((o) => o.threshold !== undefined)
        .map(
          (o) =>
            new ObjectiveThreshold({
              metric: metrics.get(o.name)!,
              op: o.minimize ? "LEQ" : "GEQ",
              bound: o.threshold!,
              relative: o.relative ?? false,
            }),
        ),
      outcomeConstraints: (options.constraints ?? []).map(
        (c) =>
          new OutcomeConstraint({ metric: new ReportedMetric({ name: c.metric }), op: c.op, bound: c.bound }),
      ),
    }),
    clock: new FakeClock(),
  });
}

const braninCurrinExperiment = (thresholds = true) =>
  moExperiment([
    { name: "branin", minimize: true, ...(thresholds ? { threshold: 18 } : {}) },
    { name: "currin", minimize: true, ...(thresholds ? { threshold: 6 } : {}) },
  ]);

/** Hypervolume of every observation w.r.t. BoTorch's reference point (18, 6), both minimized. */
function braninCurrinHypervolume(experiment: Experiment): number {
  const rows = experiment.lookupData().rows;
  const byKey = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const key = `${r.trialIndex}:${r.armName}`;
    byKey.set(key, { ...byKey.get(key), [r.metricName]: r.mean });
  }
  const Y = Float64Array.from([...byKey.values()].flatMap((v) => [-v.branin!, -v.currin!]));
  return hypervolume(Y, byKey.size, 2, [-18, -6]);
}

const bo = (experiment: Experiment, seed = 0) =>
  new BoTorchGenerator({ searchSpace: experiment.searchSpace, seed });
const sobol = (experiment: Experiment, seed = 0) =>
  new SobolGenerator({ searchSpace: experiment.searchSpace, seed });

describe("ParEGO scalarization", () => {
  it("draws weights on the simplex, deterministically for a seed", () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const w = sampleSimplex(3, rng);
      expect(w.every((v) => v >= 0)).toBe(true);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect([...sampleSimplex(4, new Rng(9))]).toEqual([...sampleSimplex(4, new Rng(9))]);
    // Uniform on the simplex: each coordinate of a 2-simplex weight is uniform, mean 1/2.
    const r = new Rng(2);
    const mean = Array.from({ length: 4000 }, () => sampleSimplex(2, r)[0]!).reduce((a, b) => a + b) / 4000;
    expect(mean).toBeCloseTo(0.5, 1);
  });

  it("normalizes between the reference point and the ideal, then takes min + 0.05·sum", () => {
    const Y = Float64Array.of(10, 0, 0, 4, 5, 2);
    const Z = normalizeObjectives(Y, 3, Float64Array.of(-10, 0));
    expect([...Z]).toEqual([1, 0, 0.5, 1, 0.75, 0.5]);
    const s = augmentedChebyshev(Z, 3, Float64Array.of(0.5, 0.5));
    expect(s[0]).toBeCloseTo(0 + 0.05 * 0.5, 14);
    expect(s[1]).toBeCloseTo(0.25 + 0.05 * 0.75, 14);
    expect(s[2]).toBeCloseTo(0.25 + 0.05 * 0.625, 14);
  });
});

describe("BoTorchGenerator on BraninCurrin (two minimized objectives, noiseless)", () => {
  it("Sobol 6 + BO 14 dominates a larger hypervolume than 20 Sobol points", async () => {
    const experiment = braninCurrinExperiment();
    await runSequential(experiment, sobol(experiment, 0), 6, evalBraninCurrin);
    const runs = await runSequential(experiment, bo(experiment, 0), 14, evalBraninCurrin);
    const sobolOnly = braninCurrinExperiment();
    await runSequential(sobolOnly, sobol(sobolOnly, 0), 20, evalBraninCurrin);
    const hvBo = braninCurrinHypervolume(experiment);
    expect(hvBo).toBeGreaterThan(braninCurrinHypervolume(sobolOnly) + 10);
    expect(hvBo).toBeGreaterThan(30);
    for (const run of runs) {
      const meta = run.candidateMetadata[0]! as Record<string, Record<string, number> | number | string>;
      expect(run.generatorName).toBe("BoTorch");
      const weights = meta.weights as Record<string, number>;
      expect(weights.branin! + weights.currin!).toBeCloseTo(1, 12);
      expect(Object.keys(meta.predictedMean as object)).toEqual(["branin", "currin"]);
      expect((meta.predictedSem as Record<string, number>).currin).toBeGreaterThanOrEqual(0);
      expect(typeof meta.acquisitionValue).toBe("number");
      // Given thresholds, back in the objectives' units after the models' transforms (to rounding).
      const reference = run.metadata.referencePoint as Record<string, number>;
      expect(Object.keys(reference)).toEqual(["branin", "currin"]);
      expect(reference.branin).toBeCloseTo(18, 9);
      expect(reference.currin).toBeCloseTo(6, 9);
    }
  });

  it("also improves on Sobol with inferred thresholds", async () => {
    const experiment = braninCurrinExperiment(false);
    await runSequential(experiment, sobol(experiment, 1), 6, evalBraninCurrin);
    const runs = await runSequential(experiment, bo(experiment, 1), 10, evalBraninCurrin);
    const sobolOnly = braninCurrinExperiment(false);
    await runSequential(sobolOnly, sobol(sobolOnly, 1), 16, evalBraninCurrin);
    expect(braninCurrinHypervolume(experiment)).toBeGreaterThan(braninCurrinHypervolume(sobolOnly));
    expect(runs[0]!.metadata.inferredThresholds).toEqual(["branin", "currin"]);
    expect(runs[0]!.candidateMetadata[0]!.acquisitionFunction).toBe("LogEI");
  });

  it("proposes valid, distinct arms that were never evaluated, in batches too", async () => {
    const experiment = braninCurrinExperiment();
    await runSequential(experiment, sobol(experiment, 2), 8, evalBraninCurrin);
    const generator = bo(experiment, 2);
    const seen = new Set(experiment.trialsWithStatuses(["COMPLETED"]).map((t) => t.arms[0]!.signature));
    for (let call = 0; call < 3; call++) {
      const run = await generator.gen({ experiment, n: 3, pendingArms: [] });
      expect(run.arms).toHaveLength(3);
      for (const arm of run.arms) {
        expect(experiment.searchSpace.checkMembership(arm.parameters)).toBe(true);
        expect(seen.has(arm.signature)).toBe(false);
        seen.add(arm.signature);
      }
      // Each arm of a batch has its own weights.
      const w = run.candidateMetadata.map((m) => (m!.weights as Record<string, number>).branin);
      expect(new Set(w).size).toBe(3);
      completeRun(experiment, run, evalBraninCurrin);
    }
  });

  it("is deterministic for a seed and continues identically after a state round trip", async () => {
    const steps = () => [
      new GenerationStep({ generator: Generators.SOBOL, numTrials: 6 }),
      new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1 }),
    ];
    const experiment = braninCurrinExperiment();
    const gs = new GenerationStrategy({ steps: steps(), seed: 7 });
    for (let i = 0; i < 8; i++) completeRun(experiment, await gs.gen({ experiment }), evalBraninCurrin);
    const restored = GenerationStrategy.fromState(JSON.parse(JSON.stringify(gs.toState())));
    const state = gs.toState().steps[1]!.generatorState as { hyperparameters: object };
    expect(Object.keys(state.hyperparameters).sort()).toEqual(
      ["branin", "currin", SCALARIZED_MODEL_NAME].sort(),
    );
    const next = await gs.gen({ experiment });
    const again = await restored.gen({ experiment });
    expect(again.generatorName).toBe("BoTorch");
    expect(again.arms[0]!.parameters).toEqual(next.arms[0]!.parameters);
    expect(again.candidateMetadata).toEqual(next.candidateMetadata);
  });
});

describe("BoTorchGenerator with several objectives: other configurations", () => {
  /**
   * Three conflicting objectives on [0,1]³: distance to three corners of cost 2 (the front is their
   * triangle), so a cost bound near the origin keeps every arm away from the front.
   */
  const threeObjectives: Evaluate = (p) => {
    const x = [p.x1 as number, p.x2 as number, p.x3 as number];
    const dist = (c: number[]) => Math.hypot(...x.map((v, i) => v - c[i]!));
    return { a: dist([1, 0, 1]), b: -dist([1, 1, 0]), c: dist([0, 1, 1]), cost: x[0]! + x[1]! + x[2]! };
  };

  it.each([3, 4, 5])(
    "runs a 3-objective experiment with mixed directions, a threshold and an outcome constraint (seed %i)",
    async (seed) => {
      // cost = x1 + x2 + x3 ≤ 0.8 holds on 8.5% of the cube: random arms would rarely satisfy it.
      const experiment = moExperiment(
        [
          { name: "a", minimize: true },
          { name: "b", minimize: false, threshold: -1.2 },
          { name: "c", minimize: true },
        ],
        {
          searchSpace: new SearchSpace({ parameters: [unit("x1"), unit("x2"), unit("x3")] }),
          constraints: [{ metric: "cost", op: "LEQ", bound: 0.8 }],
        },
      );
      await runSequential(experiment, sobol(experiment, seed), 8, threeObjectives);
      const runs = await runSequential(experiment, bo(experiment, seed), 5, threeObjectives);
      for (const run of runs) {
        const meta = run.candidateMetadata[0]!;
        expect(Object.keys(meta.weights as object)).toEqual(["a", "b", "c"]);
        expect(meta.acquisitionFunction).toMatch(/^(ConstrainedLogEI|LogPF)$/);
        expect(experiment.searchSpace.checkMembership(run.arms[0]!.parameters)).toBe(true);
        const reference = run.metadata.referencePoint as Record<string, number>;
        expect(reference.b).toBe(-1.2);
        expect(run.metadata.inferredThresholds).toEqual(["a", "c"]);
      }
      // Feasibility-weighted: the suggestions satisfy the cost constraint (up to the model's uncertainty
      // near the bound). Uniformly random arms would pass this with probability below 1%.
      const costs = runs.map((r) => threeObjectives(r.arms[0]!.parameters).cost!);
      const feasible = costs.filter((c) => c <= 0.85);
      expect(feasible.length, costs.map((c) => c.toFixed(2)).join(", ")).toBeGreaterThanOrEqual(4);
    },
  );

  it("uses qLogNEI when the noise is unknown", async () => {
    const experiment = braninCurrinExperiment();
    const rng = new Rng(4);
    const noisy: Evaluate = (p) => {
      const v = evalBraninCurrin(p);
      return { branin: v.branin! + rng.normal(), currin: v.currin! + 0.1 * rng.normal() };
    };
    await runSequential(experiment, sobol(experiment, 4), 8, noisy, null);
    const run = await bo(experiment, 4).gen({ experiment, n: 2, pendingArms: [] });
    expect(run.candidateMetadata.map((m) => m!.acquisitionFunction)).toEqual(["qLogNEI", "qLogNEI"]);
    expect(run.arms[0]!.signature).not.toBe(run.arms[1]!.signature);
  });

  it("needs two observations with every objective, and refuses relative thresholds", async () => {
    const experiment = braninCurrinExperiment();
    const partial: Evaluate = (p) => ({ branin: evalBraninCurrin(p).branin! });
    await runSequential(experiment, sobol(experiment, 5), 3, partial);
    await runSequential(experiment, sobol(experiment, 6), 1, evalBraninCurrin);
    await expect(bo(experiment).gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(
      DataRequiredError,
    );
    await expect(bo(experiment).gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(/found 1;/);
    const relative = moExperiment([
      { name: "branin", minimize: true, threshold: 5, relative: true },
      { name: "currin", minimize: true },
    ]);
    await runSequential(relative, sobol(relative, 5), 3, evalBraninCurrin);
    await expect(bo(relative).gen({ experiment: relative, n: 1, pendingArms: [] })).rejects.toThrow(
      GenerationStrategyError,
    );
    await expect(bo(relative).gen({ experiment: relative, n: 1, pendingArms: [] })).rejects.toThrow(
      /objective threshold branin <= 5% is relative to the status quo and the experiment has none \(set a status quo/,
    );
  });
});
