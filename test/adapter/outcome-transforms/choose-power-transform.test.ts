import { describe, expect, it } from "vitest";
import {
  choosePowerTransform,
  fitOutcomeTransforms,
  LOG_SPREAD_RATIO,
} from "../../../src/adapter/outcome-transforms/index.js";
import { dataset } from "./helpers.js";

/** A minimized objective's dataset: the losses negated, as the models see them. */
function losses(values: readonly number[]) {
  return dataset(
    values.map((v) => -v),
    null,
    -1,
  );
}

const context = {
  tails: { lower: null, upper: null },
  constraintBound: null,
  bounds: [],
  isObjective: true,
  multiObjective: false,
};

describe("choosePowerTransform (powerTransform: 'auto')", () => {
  it("takes the logarithm of a positive loss whose bulk spans a decade or more", () => {
    const valley = [0.5, 2, 8, 30, 120, 900, 4e3, 2e4, 1e5, 7e5];
    expect(choosePowerTransform(losses(valley), [])).toBe("log");
  });

  it("keeps Yeo-Johnson when the bulk of a positive loss lies within one decade", () => {
    const plateau = [18, 19, 19.5, 20, 20.2, 20.5, 21, 21.3, 21.5, 2];
    expect(choosePowerTransform(losses(plateau), [])).toBe("yeo-johnson");
  });

  it("decides at the ratio of the 90th to the 10th percentile", () => {
    const ratio = (r: number) => [1, ...Array.from({ length: 8 }, (_, i) => 1 + ((r - 1) * i) / 7), r];
    expect(choosePowerTransform(losses(ratio(LOG_SPREAD_RATIO)), [])).toBe("log");
    expect(choosePowerTransform(losses(ratio(LOG_SPREAD_RATIO * 0.99)), [])).toBe("yeo-johnson");
  });

  it("never takes the logarithm of a loss with a value or a bound at or below zero", () => {
    const spread = [1, 10, 100, 1e3, 1e4, 1e5];
    expect(choosePowerTransform(losses([...spread, 0]), [])).toBe("yeo-johnson");
    expect(choosePowerTransform(losses([...spread, -3]), [])).toBe("yeo-johnson");
    // A threshold of −5 on the loss is +5 on the dataset's (negated) scale.
    expect(choosePowerTransform(losses(spread), [5])).toBe("yeo-johnson");
    expect(choosePowerTransform(losses(spread), [-5])).toBe("log");
  });

  it("keeps Yeo-Johnson for a maximized metric, whose large values are the good ones", () => {
    expect(choosePowerTransform(dataset([1, 10, 100, 1e3, 1e4, 1e5]), [])).toBe("yeo-johnson");
  });

  it("is the step fitOutcomeTransforms runs, recorded by its name", () => {
    const valley = fitOutcomeTransforms(losses([1, 10, 100, 1e3, 1e4, 1e5]), context, {
      powerTransform: "auto",
    });
    const plateau = fitOutcomeTransforms(losses([18, 19, 20, 21, 22, 23]), context, {
      powerTransform: "auto",
    });
    expect(valley.transforms.steps.map((s) => s.name)).toContain("log");
    expect(plateau.transforms.steps.map((s) => s.name)).toContain("yeo-johnson");
    // The logarithm of the loss, negated back: −log(1e5) for the worst value.
    expect(Math.min(...valley.dataset.Y)).toBeCloseTo(-Math.log(1e5), 12);
  });

  it("keeps Yeo-Johnson for each of several objectives, which are scalarized on the models' scales", () => {
    const valley = fitOutcomeTransforms(
      losses([1, 10, 100, 1e3, 1e4, 1e5]),
      { ...context, multiObjective: true },
      { powerTransform: "auto" },
    );
    expect(valley.transforms.names).toEqual(["winsorize-auto", "yeo-johnson"]);
  });
});
