import { describe, expect, it } from "vitest";
import { absoluteBound, statusQuoValue } from "../../src/adapter/derelativize.js";
import {
  Arm,
  Data,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  OutcomeConstraint,
  ReportedMetric,
} from "../../src/core/index.js";
import { derelativizeBound } from "../../src/core/relative-bounds.js";
import { DataRequiredError, GenerationStrategyError } from "../../src/errors.js";
import { makeExperiment, point } from "../core/helpers.js";

describe("derelativizeBound (Ax's Derelativize)", () => {
  it.each([
    [1, 10, 10.1],
    [-1, 10, 9.9],
    [1, -10, -9.9],
    [-1, -10, -10.1],
    [50, 4, 6],
    [-25, -8, -10],
  ])("%d percent of a status quo of %d gives %d", (relative, sq, expected) => {
    expect(derelativizeBound(relative, sq)).toBeCloseTo(expected, 12);
  });
});

describe("statusQuoValue and absoluteBound", () => {
  const latency = new ReportedMetric({ name: "latency" });
  const constraint = new OutcomeConstraint({ metric: latency, op: "LEQ", bound: 10, relative: true });

  function withStatusQuo() {
    const { experiment } = makeExperiment({
      optimizationConfig: new OptimizationConfig({
        objective: new Objective({ metric: new ReportedMetric({ name: "loss" }), minimize: true }),
        outcomeConstraints: [constraint],
      }),
      statusQuo: new Arm({ parameters: point(5) }),
    });
    const trial = (parameters = point(5)) =>
      experiment.newTrial({ generatorRun: GeneratorRun.manual([new Arm({ parameters })]) }).markRunning();
    const observe = (index: number, armName: string, mean: number) =>
      experiment.attachData(
        Data.fromRows([{ trialIndex: index, armName, metricName: "latency", mean, sem: null }]),
      );
    return { experiment, trial, observe };
  }

  it("uses the mean of the status quo's observations in COMPLETED trials only", () => {
    const { experiment, trial, observe } = withStatusQuo();
    expect(experiment.statusQuo?.name).toBe("status_quo");
    const a = trial();
    const other = trial(point(7));
    const b = trial();
    const running = trial();
    expect([a, b, running].map((t) => t.arm.name)).toEqual(["status_quo", "status_quo", "status_quo"]);
    observe(a.index, "status_quo", 20);
    observe(other.index, other.arm.name, 1000);
    observe(b.index, "status_quo", 30);
    observe(running.index, "status_quo", 500);
    a.markCompleted();
    other.markCompleted();
    b.markCompleted();
    expect(statusQuoValue(experiment, "latency")).toBe(25);
    expect(absoluteBound(experiment, constraint)).toBeCloseTo(27.5, 12);
    const absolute = new OutcomeConstraint({ metric: latency, op: "LEQ", bound: 3 });
    expect(absoluteBound(experiment, absolute)).toBe(3);
  });

  it("asks for data while the status quo has no completed observation, and for a status quo without one", () => {
    const { experiment, trial, observe } = withStatusQuo();
    observe(trial().index, "status_quo", 20); // still RUNNING
    expect(() => absoluteBound(experiment, constraint)).toThrow(DataRequiredError);
    experiment.statusQuo = null;
    const e = (() => {
      try {
        absoluteBound(experiment, constraint);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(GenerationStrategyError);
    expect(e).not.toBeInstanceOf(DataRequiredError);
    expect((e as Error).message).toContain("no status quo");
  });
});
