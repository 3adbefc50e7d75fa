import { describe, expect, it } from "vitest";
import { Data } from "../../src/core/data.js";
import {
  ComparisonOp,
  Metric,
  MultiObjective,
  MultiObjectiveOptimizationConfig,
  Objective,
  ObjectiveThreshold,
  OptimizationConfig,
  OutcomeConstraint,
  ReportedMetric,
} from "../../src/core/index.js";
import { ExperimentError, OptimizationConfigError } from "../../src/errors.js";
import { catchError, TestMetric } from "./helpers.js";

const m = (name: string, lowerIsBetter: boolean | null = null) => new TestMetric({ name, lowerIsBetter });

describe("Metric", () => {
  it("keeps its options and defaults", async () => {
    const metric = new TestMetric({ name: "loss", lowerIsBetter: true, properties: { unit: "ms" } });
    expect([metric.name, metric.lowerIsBetter]).toEqual(["loss", true]);
    expect(metric.properties).toEqual({ unit: "ms" });
    expect(Object.isFrozen(metric.properties)).toBe(true);
    expect(metric.isRecoverableFetchError(new Error("x"))).toBe(false);
    expect(metric.isAvailableWhileRunning()).toBe(false);
    expect(new TestMetric({ name: "a" }).lowerIsBetter).toBeNull();
    expect((await new ReportedMetric({ name: "r" }).fetchTrialData(undefined as never)).isEmpty).toBe(true);
  });

  it.each([{ name: "" }, {}, undefined])("rejects a metric without a name (%j)", (options) => {
    const e = catchError(() => new TestMetric(options as { name: string }), ExperimentError);
    expect(e.message).toContain("A Metric needs a non-empty name");
  });

  it("is an abstract base for user metrics: a subclass supplies only the fetch and keeps the defaults", () => {
    class LatencyMetric extends Metric {
      async fetchTrialData(): Promise<Data> {
        return Data.fromRows([]);
      }
    }
    const metric: Metric = new LatencyMetric({ name: "latency", lowerIsBetter: true });
    expect(metric.name).toBe("latency");
    expect(metric.lowerIsBetter).toBe(true);
    // By default no fetch error is recoverable and data is fetched only once a trial has completed.
    expect(metric.isRecoverableFetchError(new Error("not ready"))).toBe(false);
    expect(metric.isAvailableWhileRunning()).toBe(false);
  });
});

describe("Objective and MultiObjective", () => {
  it("defaults the direction from the metric, then to maximize", () => {
    expect(new Objective({ metric: m("a", true) }).minimize).toBe(true);
    expect(new Objective({ metric: m("a", false) }).minimize).toBe(false);
    expect(new Objective({ metric: m("a") }).minimize).toBe(false);
    expect(new Objective({ metric: m("a", true), minimize: false }).minimize).toBe(false);
    expect(new Objective({ metric: m("a"), minimize: true }).toString()).toBe("minimize a");
    expect(new Objective({ metric: m("a") }).metricNames).toEqual(["a"]);
  });

  it("rejects an objective without a metric", () => {
    expect(() => new Objective({} as { metric: Metric })).toThrow(OptimizationConfigError);
  });

  it.each([0, 1])("rejects a MultiObjective with %d objectives", (n) => {
    const objectives = Array.from({ length: n }, (_, i) => new Objective({ metric: m(`m${i}`) }));
    const e = catchError(() => new MultiObjective({ objectives }), OptimizationConfigError);
    expect(e.message).toContain(`at least two objectives, got ${n}`);
  });

  it("rejects a MultiObjective repeating a metric", () => {
    const e = catchError(
      () =>
        new MultiObjective({
          objectives: [
            new Objective({ metric: m("a") }),
            new Objective({ metric: m("b") }),
            new Objective({ metric: m("a"), minimize: true }),
          ],
        }),
      OptimizationConfigError,
    );
    expect(e.metricName).toBe("a");
    expect(e.message).toBe('Metric "a" appears twice in the MultiObjective.');
  });

  it("lists its metric names and describes itself", () => {
    const mo = new MultiObjective({
      objectives: [new Objective({ metric: m("a"), minimize: true }), new Objective({ metric: m("b") })],
    });
    expect(mo.metricNames).toEqual(["a", "b"]);
    expect(mo.toString()).toBe("minimize a, maximize b");
  });
});

describe("OutcomeConstraint", () => {
  it("checks absolute bounds", () => {
    const leq = new OutcomeConstraint({ metric: m("lat"), op: ComparisonOp.LEQ, bound: 10 });
    expect(leq.isSatisfiedBy(10)).toBe(true);
    expect(leq.isSatisfiedBy(10.1)).toBe(false);
    const geq = new OutcomeConstraint({ metric: m("qps"), op: ComparisonOp.GEQ, bound: 5, relative: true });
    expect(geq.isSatisfiedBy(4)).toBe(false);
    expect(geq.isSatisfiedBy(5)).toBe(true);
    expect(leq.toString()).toBe("lat <= 10");
    expect(geq.toString()).toBe("qps >= 5%");
    expect(leq.relative).toBe(false);
  });

  it("rejects an unknown op or a non-finite bound, naming the metric", () => {
    const op = catchError(
      () => new OutcomeConstraint({ metric: m("lat"), op: "LT" as ComparisonOp, bound: 1 }),
      OptimizationConfigError,
    );
    expect(op.metricName).toBe("lat");
    expect(op.message).toContain("got LT");
    const bound = catchError(
      () => new OutcomeConstraint({ metric: m("lat"), op: ComparisonOp.LEQ, bound: Number.NaN }),
      OptimizationConfigError,
    );
    expect(bound.metricName).toBe("lat");
    expect(bound.message).toContain("bound must be a finite number, got NaN");
  });
});

describe("OptimizationConfig", () => {
  it("lists objective metrics first, then constraint metrics, once each", () => {
    const a = m("a");
    const c = m("c");
    const config = new OptimizationConfig({
      objective: new Objective({ metric: a, minimize: true }),
      outcomeConstraints: [
        new OutcomeConstraint({ metric: c, op: ComparisonOp.LEQ, bound: 1 }),
        new OutcomeConstraint({ metric: c, op: ComparisonOp.GEQ, bound: 0 }),
      ],
    });
    expect(config.metrics).toEqual([a, c]);
    expect(config.isMultiObjective).toBe(false);
    expect(config.objectives.map((o) => o.metric.name)).toEqual(["a"]);
    expect(config.toString()).toBe("minimize a subject to c <= 1, c >= 0");
  });

  it("rejects a constraint on the objective metric", () => {
    const e = catchError(
      () =>
        new OptimizationConfig({
          objective: new Objective({ metric: m("loss") }),
          outcomeConstraints: [new OutcomeConstraint({ metric: m("loss"), op: ComparisonOp.LEQ, bound: 1 })],
        }),
      OptimizationConfigError,
    );
    expect(e.metricName).toBe("loss");
    expect(e.message).toContain('is on objective metric "loss"');
  });

  it("suggests a threshold for a constraint on a multi-objective metric", () => {
    const e = catchError(
      () =>
        new OptimizationConfig({
          objective: new MultiObjective({
            objectives: [new Objective({ metric: m("a") }), new Objective({ metric: m("b") })],
          }),
          outcomeConstraints: [new OutcomeConstraint({ metric: m("b"), op: ComparisonOp.GEQ, bound: 1 })],
        }),
      OptimizationConfigError,
    );
    expect(e.metricName).toBe("b");
    expect(e.message).toContain("objective threshold");
  });

  it("rejects thresholds on a single objective", () => {
    const e = catchError(
      () =>
        new OptimizationConfig({
          objective: new Objective({ metric: m("a") }),
          objectiveThresholds: [new ObjectiveThreshold({ metric: m("a"), op: ComparisonOp.GEQ, bound: 0 })],
        }),
      OptimizationConfigError,
    );
    expect(e.message).toBe("Objective thresholds apply to multi-objective problems only.");
  });

  it("accepts thresholds on objectives of a multi-objective config, and rejects others", () => {
    const objective = new MultiObjective({
      objectives: [new Objective({ metric: m("a") }), new Objective({ metric: m("b"), minimize: true })],
    });
    const ok = new MultiObjectiveOptimizationConfig({
      objective,
      objectiveThresholds: [new ObjectiveThreshold({ metric: m("b"), op: ComparisonOp.LEQ, bound: 3 })],
    });
    expect(ok.isMultiObjective).toBe(true);
    expect(ok.objectives.map((o) => o.metric.name)).toEqual(["a", "b"]);
    expect(ok.objectiveThresholds).toHaveLength(1);
    const e = catchError(
      () =>
        new OptimizationConfig({
          objective,
          objectiveThresholds: [new ObjectiveThreshold({ metric: m("zz"), op: ComparisonOp.LEQ, bound: 3 })],
        }),
      OptimizationConfigError,
    );
    expect(e.metricName).toBe("zz");
    expect(e.message).toContain('names "zz", which is not an objective');
  });

  it("rejects a config without an objective, and a MultiObjectiveOptimizationConfig with a single one", () => {
    expect(() => new OptimizationConfig({} as never)).toThrow(OptimizationConfigError);
    expect(
      () => new MultiObjectiveOptimizationConfig({ objective: new Objective({ metric: m("a") }) as never }),
    ).toThrow(OptimizationConfigError);
  });
});
