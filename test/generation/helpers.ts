import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { Data, type DataRow } from "../../src/core/data.js";
import { Experiment } from "../../src/core/experiment.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import { GeneratorRun } from "../../src/core/generator-run.js";
import { ParameterConstraint } from "../../src/core/parameter-constraint.js";
import type { Parameterization } from "../../src/core/parameter-type.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import type { Trial } from "../../src/core/trial.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import type { Generator } from "../../src/generation/generator.js";
import { FakeClock } from "../../src/util/clock.js";

/** x1, x2 in [0, 1] (FLOAT), k in 1..5 (INT), opt in {a, b, c}, fixed f = 1. */
export function mixedSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [
      new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      new RangeParameter({
        name: "x2",
        parameterType: ParameterType.FLOAT,
        lower: 1e-3,
        upper: 10,
        logScale: true,
      }),
      new RangeParameter({ name: "k", parameterType: ParameterType.INT, lower: 1, upper: 5 }),
      new ChoiceParameter({ name: "opt", values: ["a", "b", "c"] }),
      new FixedParameter({ name: "f", value: 1 }),
    ],
  });
}

/** Six points: k in {0, 1} × color in {red, green, blue}. */
export function sixPointSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [
      new RangeParameter({ name: "k", parameterType: ParameterType.INT, lower: 0, upper: 1 }),
      new ChoiceParameter({ name: "color", values: ["red", "green", "blue"] }),
    ],
  });
}

/**
 * Integers a, b ∈ [0, 30], float x ∈ [0, 10] and log-scale integer c ∈ [1, 100] under a + b ≤ 20,
 * a + x ≤ 25.5 and c − a ≤ 10 (the last over a log-scale parameter: not linear in the unit cube, so it is
 * checked on the decoded arm).
 */
export function constrainedIntegerSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [int("a", 0, 30), int("b", 0, 30), float("x", 0, 10), int("c", 1, 100, true)],
    parameterConstraints: [
      new ParameterConstraint({ constraintDict: { a: 1, b: 1 }, bound: 20 }),
      new ParameterConstraint({ constraintDict: { a: 1, x: 1 }, bound: 25.5 }),
      new ParameterConstraint({ constraintDict: { c: 1, a: -1 }, bound: 10 }),
    ],
  });
}

/** x1, x2 in [0, 1] with x1 + x2 <= 0.1 and x1 >= 0.5: each satisfiable alone, not together. */
export function infeasibleSpace(): SearchSpace {
  const x = (name: string) =>
    new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });
  return new SearchSpace({
    parameters: [x("x1"), x("x2")],
    parameterConstraints: [
      new ParameterConstraint({ constraintDict: { x1: 1, x2: 1 }, bound: 0.1 }),
      new ParameterConstraint({ constraintDict: { x1: -1 }, bound: -0.5 }),
    ],
  });
}

export function makeExperiment(searchSpace: SearchSpace = mixedSpace()): Experiment {
  return new Experiment({ name: "test", searchSpace, clock: new FakeClock() });
}

/** Adds a one-arm trial for the run and moves it to `status` through legal transitions. */
export function addTrial(
  experiment: Experiment,
  run: GeneratorRun,
  status: TrialStatus = TrialStatus.CANDIDATE,
): Trial {
  const trial = experiment.newTrial({ generatorRun: run });
  if (status === TrialStatus.CANDIDATE) return trial;
  if (status === TrialStatus.STAGED) return trial.markStaged();
  if (status === TrialStatus.ABANDONED || status === TrialStatus.FAILED) return trial.markAs(status);
  trial.markRunning();
  if (status !== TrialStatus.RUNNING) trial.markAs(status);
  return trial;
}

/** Values of every metric at an arm's parameters. */
export type Evaluate = (p: Parameterization) => Record<string, number>;

/**
 * Runs each arm of `run` as its own trial, attaches its evaluation (every metric with the given sem, 0 =
 * noiseless, null = unknown) and completes it.
 */
export function completeRun(
  experiment: Experiment,
  run: GeneratorRun,
  evaluate: Evaluate,
  sem: number | null = 0,
): void {
  const runs =
    run.arms.length === 1
      ? [run]
      : run.arms.map((arm) => new GeneratorRun({ arms: [arm.clone()], generatorName: run.generatorName }));
  for (const one of runs) {
    const trial = addTrial(experiment, one, TrialStatus.RUNNING);
    const rows: DataRow[] = Object.entries(evaluate(trial.arm.parameters)).map(([metricName, mean]) => ({
      trialIndex: trial.index,
      armName: trial.arm.name,
      metricName,
      mean,
      sem,
    }));
    experiment.attachData(Data.fromRows(rows));
    trial.markCompleted();
  }
}

/** `count` sequential one-arm generations from `generator`, each evaluated and completed. */
export async function runSequential(
  experiment: Experiment,
  generator: Generator,
  count: number,
  evaluate: Evaluate,
  sem: number | null = 0,
): Promise<GeneratorRun[]> {
  const runs: GeneratorRun[] = [];
  for (let i = 0; i < count; i++) {
    const run = await generator.gen({ experiment, n: 1, pendingArms: [] });
    completeRun(experiment, run, evaluate, sem);
    runs.push(run);
  }
  return runs;
}

/** An INT range parameter. */
export const int = (name: string, lower: number, upper: number, logScale = false) =>
  new RangeParameter({ name, parameterType: ParameterType.INT, lower, upper, logScale });
/** A FLOAT range parameter. */
export const float = (name: string, lower: number, upper: number) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower, upper });
/** A choice parameter, unordered unless said. */
export const choice = (name: string, values: string[], isOrdered = false) =>
  new ChoiceParameter({ name, values, isOrdered });
