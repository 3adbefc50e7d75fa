import { describe, expect, it } from "vitest";
import { Data } from "../../src/core/data.js";
import { Experiment } from "../../src/core/experiment.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import type { GeneratorRun } from "../../src/core/generator-run.js";
import { ReportedMetric } from "../../src/core/metric.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import type { Parameterization } from "../../src/core/parameter-type.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { SearchSpaceExhaustedError } from "../../src/errors.js";
import { BoTorchGenerator } from "../../src/generation/bo-generator.js";
import type { Generator } from "../../src/generation/generator.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { FakeClock } from "../../src/util/clock.js";
import { Rng } from "../../src/util/rng.js";
import { addTrial, choice, constrainedIntegerSpace, float, int } from "./helpers.js";

type Evaluate = (p: Parameterization) => number;

function minimizing(searchSpace: SearchSpace): Experiment {
  return new Experiment({
    name: "discrete",
    searchSpace,
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "f" }), minimize: true }),
    }),
    clock: new FakeClock(),
  });
}

/** Evaluates (noiselessly) and completes the one-arm trial of each run. */
async function run(experiment: Experiment, generator: Generator, count: number, evaluate: Evaluate) {
  const runs: GeneratorRun[] = [];
  for (let i = 0; i < count; i++) {
    const generated = await generator.gen({ experiment, n: 1, pendingArms: [] });
    const trial = addTrial(experiment, generated, "RUNNING");
    const mean = evaluate(trial.arm.parameters);
    experiment.attachData(
      Data.fromRows([{ trialIndex: trial.index, armName: trial.arm.name, metricName: "f", mean, sem: 0 }]),
    );
    trial.markCompleted();
    runs.push(generated);
  }
  return runs;
}

/** Sobol for `init` trials, then `count` BoTorch trials; returns the BoTorch runs. */
async function optimize(space: SearchSpace, evaluate: Evaluate, init: number, count: number, seed = 0) {
  const experiment = minimizing(space);
  await run(experiment, new SobolGenerator({ searchSpace: space, seed }), init, evaluate);
  const runs = await run(experiment, new BoTorchGenerator({ searchSpace: space, seed }), count, evaluate);
  return { experiment, runs, arms: runs.map((r) => r.arms[0]!.parameters) };
}

function bestArm(experiment: Experiment, evaluate: Evaluate): Parameterization {
  const arms = [...experiment.trials.values()].map((t) => t.arms[0]!.parameters);
  return arms.reduce((a, b) => (evaluate(b) < evaluate(a) ? b : a));
}

describe("BoTorch on discrete parameters", () => {
  it("finds the optimum of an integer parameter (k in 1..20, with a continuous x)", async () => {
    const space = new SearchSpace({ parameters: [int("k", 1, 20), float("x", 0, 1)] });
    const f: Evaluate = (p) => (((p.k as number) - 13) / 4) ** 2 + ((p.x as number) - 0.3) ** 2;
    const { experiment, arms } = await optimize(space, f, 5, 8);
    expect(bestArm(experiment, f).k).toBe(13);
    for (const arm of arms) expect(Number.isInteger(arm.k)).toBe(true);
  });

  it("finds the optimum of an integer with more combinations than are enumerated (k in 1..200)", async () => {
    const space = new SearchSpace({ parameters: [int("k", 1, 200), float("x", 0, 1)] });
    const f: Evaluate = (p) => (((p.k as number) - 137) / 30) ** 2 + ((p.x as number) - 0.6) ** 2;
    const { experiment } = await optimize(space, f, 5, 10);
    expect(bestArm(experiment, f).k).toBe(137);
  });

  it("finds the integer optimum of three integers with a continuous x (1,728 combinations)", async () => {
    const space = new SearchSpace({
      parameters: [int("a", 1, 12), int("b", 1, 12), int("c", 1, 12), float("x", 0, 1)],
    });
    const f: Evaluate = (p) =>
      Math.abs((p.a as number) - 7) +
      0.5 * Math.abs((p.b as number) - 3) +
      0.1 * ((p.c as number) - 10) ** 2 +
      ((p.x as number) - 0.5) ** 2;
    // Exact integers and x within 0.2 of 0.5 (f < 0.04) within 25 evaluations; every one of seeds 0-7
    // gets there in 20 BoTorch steps (with 12 steps only 2 of 8 do, the model needs that much data).
    let found = 0;
    for (const seed of [0, 1, 2, 3]) {
      const { experiment } = await optimize(space, f, 5, 20, seed);
      if (f(bestArm(experiment, f)) < 0.04) found++;
    }
    expect(found).toBeGreaterThanOrEqual(3);
  });

  it("finds the optimum of an integer on log scale (n in 1..10^4)", async () => {
    const space = new SearchSpace({ parameters: [int("n", 1, 10_000, true)] });
    const f: Evaluate = (p) => (Math.log10(p.n as number) - Math.log10(37)) ** 2;
    const { experiment, arms } = await optimize(space, f, 4, 8);
    expect(bestArm(experiment, f).n).toBe(37);
    expect(new Set(arms.map((a) => a.n)).size).toBe(arms.length);
  });

  it("finds the best combination of categories, keeping fixed parameters fixed", async () => {
    const space = new SearchSpace({
      parameters: [
        choice("opt", ["sgd", "adam", "rmsprop", "adagrad"]),
        choice("size", ["S", "M", "L", "XL"], true),
        int("layers", 1, 6),
        new FixedParameter({ name: "seed", value: 7 }),
      ],
    });
    const f: Evaluate = (p) =>
      (p.opt === "rmsprop" ? 0 : 1) +
      (["S", "M", "L", "XL"].indexOf(p.size as string) - 2) ** 2 * 0.3 +
      ((p.layers as number) - 4) ** 2 * 0.2;
    const { experiment, arms } = await optimize(space, f, 5, 10);
    expect(bestArm(experiment, f)).toEqual({ opt: "rmsprop", size: "L", layers: 4, seed: 7 });
    for (const arm of arms) expect(arm.seed).toBe(7);
  });

  it("proposes valid, new arms in a space of 30 × 30 × 30 categories", async () => {
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const space = new SearchSpace({
      parameters: [choice("a", values), choice("b", values), choice("c", values), float("x", 0, 1)],
    });
    const rng = new Rng(4);
    const cost = new Map(values.map((v) => [v, rng.next()]));
    const f: Evaluate = (p) =>
      cost.get(p.a as string)! + cost.get(p.b as string)! + cost.get(p.c as string)! + (p.x as number);
    const { experiment, arms } = await optimize(space, f, 5, 3);
    for (const arm of arms) expect(space.explainMembership(arm)).toBeNull();
    const signatures = [...experiment.trials.values()].map((t) => t.arms[0]!.signature);
    expect(new Set(signatures).size).toBe(signatures.length);
  });

  it("keeps every arm within linear and log-scale parameter constraints", async () => {
    const space = constrainedIntegerSpace();
    // Pushes every parameter up, against the constraints.
    const f: Evaluate = (p) =>
      -((p.a as number) + (p.b as number) + (p.x as number) + Math.log10(p.c as number));
    const { experiment, arms } = await optimize(space, f, 6, 6);
    for (const arm of arms) expect(space.explainMembership(arm)).toBeNull();
    const best = bestArm(experiment, f) as Record<string, number>;
    expect(best.a! + best.b!).toBe(20);
  });

  it("never re-proposes an evaluated arm of a finite space, then reports exhaustion", async () => {
    const space = new SearchSpace({
      parameters: [int("k", 1, 3), choice("color", ["r", "g", "b", "y"]), choice("lvl", ["lo", "hi"], true)],
    });
    const f: Evaluate = (p) => (p.k as number) + (p.color === "g" ? 0 : 1) + (p.lvl === "hi" ? 0 : 0.5);
    const experiment = minimizing(space);
    await run(experiment, new SobolGenerator({ searchSpace: space, seed: 1 }), 2, f);
    const bo = new BoTorchGenerator({ searchSpace: space, seed: 1 });
    await run(experiment, bo, 22, f);
    const signatures = [...experiment.trials.values()].map((t) => t.arms[0]!.signature);
    expect(new Set(signatures).size).toBe(24);
    await expect(bo.gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(SearchSpaceExhaustedError);
  });
});
