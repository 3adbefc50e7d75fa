import { describe, expect, it } from "vitest";
import { ComparisonOp, ReportedMetric } from "../../src/core/index.js";
import { OptimizationConfigError } from "../../src/errors.js";
import { parseOutcomeConstraint } from "../../src/service/outcome-constraint-parser.js";

describe("parseOutcomeConstraint", () => {
  it.each([
    ["cost <= 10", "cost", ComparisonOp.LEQ, 10, false],
    ["qps >= 100", "qps", ComparisonOp.GEQ, 100, false],
    ["latency <= 5%", "latency", ComparisonOp.LEQ, 5, true],
    ["  qps>=-2.5 % ", "qps", ComparisonOp.GEQ, -2.5, true],
    ["val/loss.p99<=1e-3", "val/loss.p99", ComparisonOp.LEQ, 0.001, false],
    ["m >= .5", "m", ComparisonOp.GEQ, 0.5, false],
  ])("parses %j", (text, metric, op, bound, relative) => {
    const c = parseOutcomeConstraint(text);
    expect(c.metric).toBeInstanceOf(ReportedMetric);
    expect({ metric: c.metric.name, op: c.op, bound: c.bound, relative: c.relative }).toEqual({
      metric,
      op,
      bound,
      relative,
    });
  });

  it("takes the metric from metricFor", () => {
    const cost = new ReportedMetric({ name: "cost" });
    expect(parseOutcomeConstraint("cost <= 1", () => cost).metric).toBe(cost);
  });

  it.each([
    ["cost < 10", /only <= and >= are supported/],
    ["cost == 10", /only <= and >= are supported/],
    ["cost <= ten", /the right-hand side must be a number/],
    ["cost <= budget", /the right-hand side must be a number/],
    ["a + b <= 3", /single metric name/],
    ["1 <= cost <= 3", /one bound per constraint/],
    ["cost", /write "<metric> <= <number>"/],
    ["", /write "<metric> <= <number>"/],
  ])("refuses %j with an OptimizationConfigError", (text, message) => {
    expect(() => parseOutcomeConstraint(text)).toThrow(OptimizationConfigError);
    expect(() => parseOutcomeConstraint(text)).toThrow(message);
  });
});
