import { describe, expect, it } from "vitest";
import {
  Arm,
  ComparisonOp,
  Data,
  GeneratorRun,
  MultiObjective,
  Objective,
  ObjectiveThreshold,
  OptimizationConfig,
  ReportedMetric,
} from "../../src/core/index.js";
import { paretoFrontier } from "../../src/reporting/pareto-frontier.js";
import { makeExperiment, point } from "../core/helpers.js";

describe("paretoFrontier with a threshold relative to the status quo", () => {
  it("uses it as an absolute threshold once the status quo is observed, and ignores it before", () => {
    const loss = new ReportedMetric({ name: "loss" });
    const speed = new ReportedMetric({ name: "speed" });
    const { experiment } = makeExperiment({
      statusQuo: new Arm({ parameters: point(5) }),
      optimizationConfig: new OptimizationConfig({
        objective: new MultiObjective({
          objectives: [
            new Objective({ metric: loss, minimize: true }),
            new Objective({ metric: speed, minimize: false }),
          ],
        }),
        objectiveThresholds: [
          new ObjectiveThreshold({ metric: speed, op: ComparisonOp.GEQ, bound: 50, relative: true }),
        ],
      }),
    });
    const tell = (x1: number, values: { loss: number; speed: number }) => {
      const trial = experiment.newTrial({
        generatorRun: GeneratorRun.manual([new Arm({ parameters: point(x1) })]),
      });
      trial.markRunning();
      experiment.attachData(
        Data.fromRows(
          Object.entries(values).map(([metricName, mean]) => ({
            trialIndex: trial.index,
            armName: trial.arm.name,
            metricName,
            mean,
            sem: null,
          })),
        ),
      );
      trial.markCompleted();
      return trial.index;
    };
    const slow = tell(1, { loss: 1, speed: 5 }); // best loss
    const quick = tell(2, { loss: 3, speed: 7 });
    // No status-quo observation yet: the threshold cannot be judged, so both trade-offs count.
    expect(
      paretoFrontier(experiment)
        .points.map((p) => p.trialIndex)
        .sort(),
    ).toEqual([slow, quick]);

    tell(5, { loss: 9, speed: 4 }); // the status quo: the threshold is (1 + 0.5) * 4 = 6
    const frontier = paretoFrontier(experiment);
    expect(frontier.points.map((p) => p.trialIndex)).toEqual([quick]);
    expect(frontier.referencePoint?.speed).toBeCloseTo(6, 12);
  });
});
