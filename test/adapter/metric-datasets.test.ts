import { describe, expect, it } from "vitest";
import { buildMetricDatasets } from "../../src/adapter/metric-datasets.js";
import { SearchSpaceEncoding } from "../../src/adapter/search-space-encoding.js";
import { Data, type DataRow } from "../../src/core/index.js";
import { buildModelDatasets } from "../../src/generation/bo/metric-models.js";
import { makeExperiment, point, run } from "../core/helpers.js";

const progress = (trialIndex: number, step: number, mean: number): DataRow => ({
  trialIndex,
  armName: `${trialIndex}_0`,
  metricName: "loss",
  mean,
  sem: null,
  progression: { step },
});

/**
 * Trial 0 COMPLETED with a final value after its curve, trial 1 RUNNING with a curve, trial 2
 * EARLY_STOPPED after its curve, trial 3 FAILED with a curve.
 */
function experimentWithCurves() {
  const { experiment } = makeExperiment();
  for (let i = 0; i < 4; i++) experiment.newTrial({ generatorRun: run(point(i + 1)) }).markRunning();
  experiment.attachData(
    Data.fromRows([
      progress(0, 1, 9),
      progress(0, 2, 8),
      { trialIndex: 0, armName: "0_0", metricName: "loss", mean: 7.5, sem: null },
      progress(1, 1, 6),
      progress(1, 2, 5),
      progress(2, 1, 4),
      progress(2, 3, 2),
      progress(2, 2, 3),
      progress(3, 1, 1),
    ]),
  );
  experiment.getTrial(0).markCompleted();
  experiment.getTrial(2).markEarlyStopped("curve below the median");
  experiment.getTrial(3).markFailed();
  return experiment;
}

describe("model observations from trials with curves", () => {
  it("use the final value of COMPLETED trials and the last value of EARLY_STOPPED ones, not RUNNING ones", () => {
    const experiment = experimentWithCurves();
    const encoding = new SearchSpaceEncoding(experiment.searchSpace);
    const loss = buildMetricDatasets(experiment, encoding, ["loss"], new Map()).get("loss")!;
    expect(loss.keys).toEqual(["0:0_0", "2:2_0"]);
    expect([...loss.Y]).toEqual([7.5, 2]);
    expect(loss.n).toBe(2);
  });

  it("the datasets the models are fitted to are the same, and the RUNNING trial stays pending", () => {
    const experiment = experimentWithCurves();
    const loss = buildModelDatasets(experiment, ["loss"], { winsorize: false }).get("loss")!.dataset;
    expect(loss.keys).toEqual(["0:0_0", "2:2_0"]);
    expect([...loss.Y]).toEqual([7.5, 2]);
    expect(experiment.pendingArms.map((a) => a.name)).toEqual(["1_0"]);
  });
});
