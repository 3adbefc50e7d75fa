import { expect } from "vitest";
import {
  Arm,
  ChoiceParameter,
  Data,
  Experiment,
  type ExperimentOptions,
  GeneratorRun,
  Metric,
  ParameterType,
  type ParameterValue,
  RangeParameter,
  SearchSpace,
} from "../../src/core/index.js";
import { FakeClock } from "../../src/util/clock.js";

/** A metric whose fetch returns nothing: its values are attached by the tests. */
export class TestMetric extends Metric {
  async fetchTrialData(): Promise<Data> {
    return Data.empty();
  }
}

/** Runs `fn`, expects it to throw an instance of `cls`, and returns the error for further checks. */
export function catchError<E extends Error>(fn: () => unknown, cls: new (...args: never[]) => E): E {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected ${cls.name} to be thrown, but nothing was thrown`);
  expect(thrown).toBeInstanceOf(cls);
  return thrown as E;
}

/** x1, x2 FLOAT in [0, 10]; n INT in [1, 5]; c a choice of "a" | "b". */
export function makeSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [
      new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: 0, upper: 10 }),
      new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 10 }),
      new RangeParameter({ name: "n", parameterType: ParameterType.INT, lower: 1, upper: 5 }),
      new ChoiceParameter({ name: "c", values: ["a", "b"] }),
    ],
  });
}

/** A point of {@link makeSpace}. */
export function point(x1: number, x2 = 1, n = 1, c = "a"): Record<string, ParameterValue> {
  return { x1, x2, n, c };
}

/** An experiment on {@link makeSpace} with a fake clock (returned too). */
export function makeExperiment(options: Partial<ExperimentOptions> = {}): {
  experiment: Experiment;
  clock: FakeClock;
} {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const experiment = new Experiment({ name: "exp", searchSpace: makeSpace(), clock, ...options });
  return { experiment, clock };
}

/** A one-arm generator run, optionally from a generation step. */
export function run(
  parameters: Record<string, ParameterValue>,
  generationStepIndex: number | null = null,
): GeneratorRun {
  return new GeneratorRun({
    arms: [new Arm({ parameters })],
    generatorName: "Test",
    generationStepIndex,
    timeCreated: 0,
  });
}
