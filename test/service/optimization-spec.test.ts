import { describe, expect, it } from "vitest";
import { ComparisonOp, MultiObjective, Objective, ResultMetric } from "../../src/core/index.js";
import { OptimizationConfigError } from "../../src/errors.js";
import { type OptimizationSpec, optimizationFromSpec } from "../../src/service/optimization-spec.js";

const loose = (spec: unknown): OptimizationSpec => spec as OptimizationSpec;

describe("optimizationFromSpec", () => {
  it("builds a single objective with absolute and relative constraints on shared ResultMetrics", () => {
    const { optimizationConfig: config, trackingMetrics } = optimizationFromSpec({
      objectives: { branin: { minimize: true } },
      outcomeConstraints: ["cost <= 10", "cost >= 1", "latency <= 5%"],
      trackingMetricNames: ["memory"],
    });
    expect(config.objective).toBeInstanceOf(Objective);
    expect(config.objective.toString()).toBe("minimize branin");
    expect(config.objectives[0]!.metric).toBeInstanceOf(ResultMetric);
    expect(config.objectives[0]!.metric.lowerIsBetter).toBe(true);
    expect(config.outcomeConstraints.map(String)).toEqual(["cost <= 10", "cost >= 1", "latency <= 5%"]);
    expect(config.outcomeConstraints[0]!.metric).toBe(config.outcomeConstraints[1]!.metric);
    expect(config.outcomeConstraints[2]!.relative).toBe(true);
    expect(trackingMetrics.map((m) => m.name)).toEqual(["memory"]);
    expect(trackingMetrics[0]).toBeInstanceOf(ResultMetric);
  });

  it("builds a MultiObjective with thresholds in each objective's direction", () => {
    const { optimizationConfig: config } = optimizationFromSpec({
      objectives: { latency: { minimize: true, threshold: 100 }, qps: { minimize: false, threshold: 50 } },
    });
    expect(config.objective).toBeInstanceOf(MultiObjective);
    expect(config.objectiveThresholds.map((t) => [t.metric.name, t.op, t.bound, t.relative])).toEqual([
      ["latency", ComparisonOp.LEQ, 100, false],
      ["qps", ComparisonOp.GEQ, 50, false],
    ]);
    expect(config.objectiveThresholds[0]!.metric).toBe(config.objectives[0]!.metric);
  });

  it.each([
    [loose({}), /objectives must be an object/],
    [loose({ objectives: [] }), /objectives must be an object/],
    [loose({ objectives: {} }), /objectives is empty/],
    [loose({ objectives: { y: true } }), /Objective "y": write \{ minimize: true \}/],
    [loose({ objectives: { y: {} } }), /Objective "y": minimize must be true or false/],
    [loose({ objectives: { y: { maximize: true } } }), /unknown key "maximize"; write minimize/],
    [loose({ objectives: { y: { minimize: true, threshold: "3" } } }), /threshold must be a finite number/],
    [
      loose({ objectives: { y: { minimize: true, threshold: 3 } } }),
      /thresholds apply only to multi-objective/,
    ],
    [
      loose({ objectives: { y: { minimize: true } }, outcomeConstraints: ["y <= 3"] }),
      /on objective metric "y"/,
    ],
    [loose({ objectives: { y: { minimize: true } }, outcomeConstraints: ["c < 3"] }), /only <= and >=/],
    [loose({ objectives: { y: { minimize: true } }, outcomeConstraints: "c <= 3" }), /must be a list/],
    [loose({ objectives: { y: { minimize: true } }, trackingMetricNames: ["y"] }), /already an objective/],
    [loose({ objectives: { y: { minimize: true } }, trackingMetricNames: ["m", "m"] }), /listed twice/],
  ])("refuses %j with an OptimizationConfigError", (spec, message) => {
    expect(() => optimizationFromSpec(spec)).toThrow(OptimizationConfigError);
    expect(() => optimizationFromSpec(spec)).toThrow(message);
  });
});
