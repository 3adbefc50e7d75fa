import { describe, expect, it } from "vitest";
import { ModelViews } from "../../../src/reporting/model-views/model-views.js";
import { reportExperiment } from "../report/report-fixture.js";

describe("ModelViews with input warping", () => {
  it("fits the warp of the range columns only, and no warp by default", () => {
    const { experiment } = reportExperiment({ numTrials: 24 });
    const warped = new ModelViews(experiment, { inputWarping: true }).fitted("hartmann6")!;
    // Six range parameters (columns 0-5), then the unordered choice's one-hot columns.
    expect(warped.model.hyperparameters.inputWarping?.dimensions).toEqual([0, 1, 2, 3, 4, 5]);
    const plain = new ModelViews(experiment).fitted("hartmann6")!;
    expect(plain.model.hyperparameters.inputWarping ?? null).toBeNull();
  });
});
