import { describe, expect, it } from "vitest";
import type { BestPoint } from "../../src/reporting/best-point.js";
import { decideBestPoint, type ObjectiveNoise } from "../../src/reporting/best-point-rule.js";

const point = (trialIndex: number, value: number): BestPoint => ({
  trialIndex,
  armName: `${trialIndex}_0`,
  parameters: { x: trialIndex },
  values: { y: value },
});

const known = (sd: number): ObjectiveNoise => ({ source: "known", sd });

describe("decideBestPoint", () => {
  it("keeps the model's pick while the gap is within 2 noise sds, and the observation beyond", () => {
    const observed = point(1, 1.0);
    const near = decideBestPoint({
      metric: "y",
      minimize: true,
      model: point(2, 1.19),
      observed,
      noise: known(0.1),
    });
    expect(near).toEqual({
      rule: "model",
      reason:
        "gap 0.19 between the model's pick (trial 2) and the best observation (trial 1) is within 2 × known noise sd 0.1: the model's pick",
    });
    const far = decideBestPoint({
      metric: "y",
      minimize: true,
      model: point(2, 1.21),
      observed,
      noise: known(0.1),
    });
    expect(far.rule).toBe("observed");
    expect(far.reason).toBe(
      "gap 0.21 between the model's pick (trial 2) and the best observation (trial 1) exceeds 2 × known noise sd 0.1: the best observation",
    );
    // The factor is a parameter (the benchmark tries several).
    expect(
      decideBestPoint({ metric: "y", minimize: true, model: point(2, 1.21), observed, noise: known(0.1) }, 3)
        .rule,
    ).toBe("model");
  });

  it("measures the gap in the objective's direction when maximizing", () => {
    const observed = point(1, 5);
    const decide = (value: number) =>
      decideBestPoint({ metric: "y", minimize: false, model: point(2, value), observed, noise: known(0.5) })
        .rule;
    expect(decide(4.1)).toBe("model");
    expect(decide(3.9)).toBe("observed");
  });

  it("takes the observation of noise-free data, and the model's pick when no observation is feasible", () => {
    const model = point(2, 1.0001);
    const none: ObjectiveNoise = { source: "none", sd: 0 };
    expect(
      decideBestPoint({ metric: "y", minimize: true, model, observed: point(1, 1), noise: none }).rule,
    ).toBe("observed");
    expect(decideBestPoint({ metric: "y", minimize: true, model, observed: null, noise: known(1) })).toEqual({
      rule: "model",
      reason: "no observation satisfies the constraints: the model's pick",
    });
  });

  it("says the model agreed when both pick the same arm, and hints at [value, 0] for inferred noise", () => {
    const same = decideBestPoint({
      metric: "y",
      minimize: true,
      model: point(3, 2),
      observed: point(3, 2),
      noise: { source: "inferred", sd: 0.0123456 },
    });
    expect(same).toEqual({
      rule: "model",
      reason: "the model's pick is the best observation (inferred noise sd 0.0123)",
    });
    const inferred = decideBestPoint({
      metric: "y",
      minimize: true,
      model: point(2, 2.1),
      observed: point(1, 2),
      noise: { source: "inferred", sd: 0.1 },
    });
    expect(inferred.reason).toMatch(
      /the model's pick \(report \[value, 0\] if the objective is deterministic\)$/,
    );
  });
});
