import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DataRow, JsonValue } from "../../../src/core/index.js";
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
      "This experiment export has format version 3, but this version of ascent reads format versions up to 1. Upgrade ascent to import it.",
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
