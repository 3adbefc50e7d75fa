import { describe, expect, it } from "vitest";
import type { Experiment, Trial } from "../../../src/core/index.js";
import {
  Data,
  experimentCharts,
  OptimizationConfigError,
  PLOT_KINDS,
  plotLearningCurves,
  renderChartSvg,
} from "../../../src/index.js";
import { addTrial, completed, makeExperiment } from "../helpers.js";
import { countLabelled } from "./plot-support.js";

/** Attaches `values` of "obj" as the trial's curve, at steps 1, 2, ... (or along `key`). */
function curve(experiment: Experiment, trial: Trial, values: number[], key = "step"): void {
  experiment.attachData(
    Data.fromRows(
      values.map((mean, i) => ({
        trialIndex: trial.index,
        armName: trial.arm.name,
        metricName: "obj",
        mean,
        sem: null,
        progression: { [key]: i + 1 },
      })),
    ),
  );
}

interface CurveRow {
  trial: number;
  x: number;
  value: number;
  status: string;
}

function rowsOf(spec: unknown): CurveRow[] {
  return (spec as { data: { values: CurveRow[] } }).data.values;
}

describe("plotLearningCurves", () => {
  it("draws each trial's curve by step, coloured by status, stopped ones ending where they stopped", async () => {
    const experiment = makeExperiment();
    const done = addTrial(experiment, { x: 1, kind: "a" });
    curve(experiment, done, [1, 0.5, 0.3, 0.2]);
    done.markCompleted();
    const stopped = addTrial(experiment, { x: 2, kind: "b" });
    curve(experiment, stopped, [1.2, 1.1]);
    stopped.markEarlyStopped("worse than the median");
    const running = addTrial(experiment, { x: 3, kind: "a" });
    curve(experiment, running, [0.9, 0.6, 0.4]);
    completed(experiment, 4, { obj: 0.5 }); // a final value only: no curve

    const chart = plotLearningCurves(experiment);
    expect(chart.kind).toBe("learning-curves");
    const rows = rowsOf(chart.spec);
    expect(rows.filter((r) => r.trial === stopped.index).map((r) => [r.x, r.value, r.status])).toEqual([
      [1, 1.2, "EARLY_STOPPED"],
      [2, 1.1, "EARLY_STOPPED"],
    ]);
    expect(new Set(rows.map((r) => r.trial))).toEqual(new Set([done.index, stopped.index, running.index]));
    expect(rows.filter((r) => r.status === "RUNNING")).toHaveLength(3);
    const svg = await renderChartSvg(chart);
    // One described point per observation (the lines are drawn beneath them).
    expect(countLabelled(svg, "Trial ")).toBe(9);
    expect(svg).toContain("EARLY_STOPPED");
  });

  it("reads another progression, thins long curves, and uses a log axis over decades", () => {
    const experiment = makeExperiment();
    const trial = addTrial(experiment, { x: 1, kind: "a" });
    curve(
      experiment,
      trial,
      Array.from({ length: 500 }, (_, i) => 10 / (i + 1) ** 1.5),
      "epoch",
    );
    const chart = plotLearningCurves(experiment, { metric: "obj" });
    const rows = rowsOf(chart.spec);
    expect(rows).toHaveLength(100);
    expect(rows[0]!.x).toBe(1);
    expect(rows.at(-1)!.x).toBe(500);
    expect(JSON.stringify(chart.spec)).toContain('"type":"log"');
    expect(chart.caption).toContain("by epoch");
  });

  it("is among experimentCharts only when there are curves, and refuses a metric without any", async () => {
    const experiment = makeExperiment();
    completed(experiment, 1, { obj: 0.5 });
    expect((await experimentCharts(experiment, { models: false })).map((c) => c.kind)).not.toContain(
      "learning-curves",
    );
    expect(() => plotLearningCurves(experiment)).toThrow(OptimizationConfigError);
    const trial = addTrial(experiment, { x: 2, kind: "b" });
    curve(experiment, trial, [3, 2]);
    expect((await experimentCharts(experiment, { models: false })).map((c) => c.kind)).toContain(
      "learning-curves",
    );
    expect(PLOT_KINDS.map((k) => k.kind)).toContain("learning-curves");
  });
});
