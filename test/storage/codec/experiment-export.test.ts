import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Data, type DataRow, type JsonValue } from "../../../src/core/index.js";
import { StorageError } from "../../../src/errors.js";
import {
  EXPORT_FORMAT,
  encodeExperiment,
  exportExperiment,
  exportExperimentToJson,
  importExperiment,
  importExperimentFromJson,
  registerMetric,
  registerRunner,
  unregisterMetric,
  unregisterRunner,
} from "../../../src/storage/codec/index.js";
import { FakeClock } from "../../../src/util/clock.js";
import { catchError } from "../../core/helpers.js";
import { JobRunner, LatencyMetric, richExperiment, T0 } from "./fixtures.js";

beforeEach(() => {
  registerMetric(LatencyMetric);
  registerRunner(JobRunner);
});
afterEach(() => {
  unregisterMetric(LatencyMetric);
  unregisterRunner(JobRunner);
});

const generationState: JsonValue = {
  currentStepIndex: 1,
  steps: [{ generator: "Sobol", numTrials: 5, sobolSeed: 42, position: 7 }, { generator: "BO" }],
  rngState: [1, 2, 3],
};

const rows = (data: readonly DataRow[]): DataRow[] => data.map((r) => ({ ...r }));

describe("exportExperiment / importExperiment", () => {
  it("round-trips the definition, every trial, the data and the generation state through JSON text", () => {
    const { experiment } = richExperiment();
    const text = exportExperimentToJson(experiment, generationState);
    const clock = new FakeClock(T0 + 5);
    const { experiment: imported, generationState: state } = importExperimentFromJson(text, { clock });
    expect(encodeExperiment(imported)).toEqual(encodeExperiment(experiment));
    expect([...imported.trials.values()].map((t) => t.toJSON())).toEqual(
      [...experiment.trials.values()].map((t) => t.toJSON()),
    );
    expect(rows(imported.lookupData().rows)).toEqual(rows(experiment.lookupData().rows));
    expect(state).toEqual(generationState);
    expect(imported.clock).toBe(clock);
  });

  it("writes the documented envelope", () => {
    const { experiment, clock } = richExperiment();
    const exported = exportExperiment(experiment);
    expect(exported.format).toBe(EXPORT_FORMAT);
    expect(exported.formatVersion).toBe(1);
    expect(exported.exportedAt).toBe(new Date(clock.now()).toISOString());
    expect(exported.experiment).toEqual(encodeExperiment(experiment));
    expect(exported.trials.map((t) => t.index)).toEqual([...Array(experiment.numTrials).keys()]);
    expect(exported.data).toHaveLength(experiment.numObservations);
    expect(exported.generationState).toBeNull();
    expect(importExperiment(exported).generationState).toBeNull();
  });

  it("exports every progression row with its progression, as format version 2, and imports the curves", () => {
    const { experiment } = richExperiment();
    const at = (trialIndex: number, step: number, mean: number): DataRow => ({
      trialIndex,
      armName: `${trialIndex}_0`,
      metricName: "latency",
      mean,
      sem: null,
      progression: { step, samples: step * 32 },
    });
    experiment.attachData(Data.fromRows([at(3, 2, 41), at(3, 1, 45), at(0, 5, 13), at(3, 2, 39)]));
    const exported = exportExperiment(experiment);
    expect(exported.formatVersion).toBe(2);
    expect(exported.data.filter((r) => r.progression)).toEqual([
      at(0, 5, 13),
      at(3, 2, 41),
      at(3, 1, 45),
      at(3, 2, 39),
    ]);
    expect(exported.data).toHaveLength(experiment.numObservations + 4);
    const { experiment: imported } = importExperimentFromJson(exportExperimentToJson(experiment));
    expect(rows(imported.lookupCurveData().rows)).toEqual(rows(experiment.lookupCurveData().rows));
    expect(rows(imported.lookupData().rows)).toEqual(rows(experiment.lookupData().rows));
    expect(imported.curve(3, "latency", { progressionKey: "samples" })).toEqual([
      { progression: 32, mean: 45, sem: null },
      { progression: 64, mean: 39, sem: null },
    ]);
    // Final rows are written without a progression key, as before.
    expect(exported.data.filter((r) => !r.progression).every((r) => !("progression" in r))).toBe(true);
  });

  it("reports a malformed progression with its JSON path", () => {
    const { experiment } = richExperiment();
    const withData = (data: unknown[]) => ({ ...JSON.parse(exportExperimentToJson(experiment)), data });
    const base = { trialIndex: 0, armName: "0_0", metricName: "latency", mean: 1, sem: null };
    const cases: [unknown, string][] = [
      [[1], "$.data[0].progression"],
      [{ step: "7" }, "$.data[0].progression.step"],
      [{ step: null }, "$.data[0].progression.step"],
    ];
    for (const [progression, path] of cases) {
      const e = catchError(() => importExperiment(withData([{ ...base, progression }])), StorageError);
      expect([path, e.path]).toEqual([path, path]);
    }
    // An empty progression passes the shape check and is refused when attached, naming the row.
    const empty = catchError(() => importExperiment(withData([{ ...base, progression: {} }])), StorageError);
    expect(empty.message).toContain("it has no keys");
    expect(
      importExperiment(withData([{ ...base, progression: null }])).experiment.curve(0, "latency"),
    ).toEqual([]);
  });

  it("does not share the generation state with the caller", () => {
    const { experiment } = richExperiment();
    const state = { position: [1] };
    const exported = exportExperiment(experiment, state);
    state.position.push(2);
    expect(exported.generationState).toEqual({ position: [1] });
    const imported = importExperiment(exported);
    (exported.generationState as { position: number[] }).position.push(3);
    expect(imported.generationState).toEqual({ position: [1] });
  });

  it("reports malformed exports with the JSON path", () => {
    const { experiment } = richExperiment();
    const good = (): Record<string, unknown> =>
      JSON.parse(exportExperimentToJson(experiment)) as Record<string, unknown>;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good(), format: "ax.experiment" }, "$.format"],
      [{ ...good(), trials: {} }, "$.trials"],
      [{ ...good(), data: [{ trialIndex: 0 }] }, "$.data[0].armName"],
      [{ ...good(), generationState: { n: Number.NaN } }, "$.generationState.n"],
    ];
    const broken = good();
    ((broken.trials as Record<string, unknown>[])[3] as Record<string, unknown>).status = 7;
    cases.push([broken, "$.trials[3].status"]);
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    cases.push([{ ...good(), generationState: { inner: cyclic } }, "$.generationState.inner.self"]);
    const badDefinition = good();
    (badDefinition.experiment as Record<string, unknown>).trackingMetrics = null;
    cases.push([badDefinition, "$.experiment.trackingMetrics"]);
    for (const [json, path] of cases)
      expect([path, catchError(() => importExperiment(json), StorageError).path]).toEqual([path, path]);
  });

  it("refuses a newer export format, and text that is not JSON", () => {
    const { experiment } = richExperiment();
    const newer = { ...exportExperiment(experiment), formatVersion: 3 };
    const e = catchError(() => importExperiment(newer), StorageError);
    expect(e.message).toBe(
      "This experiment export has format version 3, but this version of ascent reads format versions up to 2. Upgrade ascent to import it.",
    );
    const t = catchError(() => importExperimentFromJson("{ nope"), StorageError);
    expect(t.message).toContain("The experiment export is not valid JSON");
    expect(t.path).toBe("$");
  });

  it("refuses to import an unregistered class, naming it and the fix", () => {
    const { experiment } = richExperiment();
    const text = exportExperimentToJson(experiment);
    unregisterMetric(LatencyMetric);
    const e = catchError(() => importExperimentFromJson(text), StorageError);
    expect(e.message).toBe(
      'Metric class "LatencyMetric" of experiment "rich" is not registered. Call registerMetric(LatencyMetric) before loading.',
    );
    expect(e.path).toBe("$.experiment.optimizationConfig.objectives[0].metric.className");
  });
});
