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

  it("takes the best observation of bare numbers in which no noise is detectable, up to 2 nats", () => {
    const observed = point(1, 2);
    const model = point(2, 2.1);
    const inferred = (likelihoodGain?: number): ObjectiveNoise => ({
      source: "inferred",
      sd: 0.1,
      likelihoodGain,
    });
    const none = decideBestPoint({ metric: "y", minimize: true, model, observed, noise: inferred(1.5) });
    expect(none).toEqual({
      rule: "observed",
      reason:
        "no noise detectable in the observations (a noise-free model fits them within 2 nats of the noisy " +
        "one's likelihood: gain 1.5): the best observation",
    });
    expect(decideBestPoint({ metric: "y", minimize: true, model, observed, noise: inferred(2) }).rule).toBe(
      "observed",
    );
    // Evident noise, or none measured: the gap rule decides (a gap of 1 sd keeps the model's pick).
    for (const gain of [2.01, 40, undefined]) {
      expect(
        decideBestPoint({ metric: "y", minimize: true, model, observed, noise: inferred(gain) }).rule,
      ).toBe("model");
    }
    // The threshold is a parameter; known noise never takes this path.
    expect(
      decideBestPoint({ metric: "y", minimize: true, model, observed, noise: inferred(1.5) }, 2, 1).rule,
    ).toBe("model");
    const knownNoise: ObjectiveNoise = { source: "known", sd: 0.1, likelihoodGain: 0 };
    expect(decideBestPoint({ metric: "y", minimize: true, model, observed, noise: knownNoise }).rule).toBe(
      "model",
    );
  });
});
