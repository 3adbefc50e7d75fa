import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BatchTrial,
  type ChoiceParameter,
  type DataRow,
  type JsonValue,
  MultiObjectiveOptimizationConfig,
  OrderConstraint,
  ParameterConstraint,
  RangeParameter,
  SumConstraint,
  type Trial,
  TrialStatus,
} from "../../../src/core/index.js";
import {
  decodeDataRow,
  decodeExperiment,
  decodeTrialSnapshot,
  type EncodedExperiment,
  encodeExperiment,
  encodeTrial,
  registerMetric,
  registerRunner,
  unregisterMetric,
  unregisterRunner,
} from "../../../src/storage/codec/index.js";
import { FakeClock } from "../../../src/util/clock.js";
import {
  JobRunner,
  LatencyMetric,
  MockJobRunner,
  mooExperiment,
  richExperiment,
  T0,
  trialRows,
  viaJson,
} from "./fixtures.js";

beforeEach(() => {
  registerMetric(LatencyMetric);
  registerRunner(JobRunner);
  registerRunner(MockJobRunner);
});
afterEach(() => {
  unregisterMetric(LatencyMetric);
  unregisterRunner(JobRunner);
  unregisterRunner(MockJobRunner);
});

function dataRows(rows: readonly DataRow[]): DataRow[] {
  return rows.map((r) => ({ ...r }));
}

function roundTrip(): {
  original: ReturnType<typeof richExperiment>["experiment"];
  decoded: ReturnType<typeof decodeExperiment>;
} {
  const { experiment: original } = richExperiment();
  const trials = trialRows(original).map(decodeTrialSnapshot);
  const data = (JSON.parse(JSON.stringify(original.lookupData().rows)) as JsonValue[]).map(decodeDataRow);
  const decoded = decodeExperiment(viaJson(original), { trials, data, clock: new FakeClock(T0 + 99_000) });
  return { original, decoded };
}

describe("encodeExperiment / decodeExperiment round trip", () => {
  it("gives back an equal definition, equal trial snapshots and equal data (through JSON text)", () => {
    const { original, decoded } = roundTrip();
    expect(encodeExperiment(decoded)).toEqual(encodeExperiment(original));
    expect(decoded.numTrials).toBe(original.numTrials);
    for (const [i, t] of original.trials) expect(decoded.getTrial(i).toJSON()).toEqual(t.toJSON());
    expect(dataRows(decoded.lookupData().rows)).toEqual(dataRows(original.lookupData().rows));
  });

  it("encodes to plain JSON that survives JSON text unchanged", () => {
    const { experiment } = richExperiment();
    const encoded: JsonValue = encodeExperiment(experiment);
    expect(JSON.parse(JSON.stringify(encoded))).toEqual(encoded);
  });

  it("rebuilds every part with the right classes and values", () => {
    const { decoded } = roundTrip();
    expect(decoded.name).toBe("rich");
    expect(decoded.description).toBe("every part of the model");
    expect(decoded.isTest).toBe(true);
    expect(decoded.timeCreated).toBe(T0);
    expect(decoded.immutableSearchSpaceAndOptConfig).toBe(true);
    expect(decoded.properties).toEqual({
      owner: "ml-team",
      budget: { trials: 20, hours: 1.5 },
      tags: ["a", null, true],
    });

    const space = decoded.searchSpace;
    const lr = space.getParameter("lr") as RangeParameter;
    expect(lr).toBeInstanceOf(RangeParameter);
    expect([lr.lower, lr.upper, lr.logScale]).toEqual([1e-5, 0.1, true]);
    expect((space.getParameter("x2") as RangeParameter).digits).toBe(3);
    const batch = space.getParameter("batch") as ChoiceParameter;
    expect([batch.values, batch.isOrdered]).toEqual([[16, 32, 64], true]);
    const ratio = space.getParameter("ratio") as ChoiceParameter;
    expect([ratio.values, ratio.isOrdered]).toEqual([[0.5, 0.25, 0.75], false]);
    expect((space.getParameter("optimizer") as ChoiceParameter).isOrdered).toBe(false);
    expect((space.getParameter("size") as ChoiceParameter).values).toEqual(["small", "medium", "large"]);
    const [linear, order, sumLow, sumHigh] = space.parameterConstraints;
    expect(linear?.constructor).toBe(ParameterConstraint);
    expect(order).toBeInstanceOf(OrderConstraint);
    expect(sumLow).toBeInstanceOf(SumConstraint);
    expect(sumLow?.toString()).toBe("x1 + x2 >= -3");
    expect(sumHigh?.toString()).toBe("x1 + x2 <= 20");

    const config = decoded.requireOptimizationConfig();
    const latency = config.objectives[0]?.metric as LatencyMetric;
    expect(latency).toBeInstanceOf(LatencyMetric);
    expect(latency.endpoint).toBe("https://example.test/latency");
    expect(latency.retry).toEqual({ attempts: 3, backoff: [1, 2, 4], jitter: null });
    expect(latency.properties).toEqual({ unit: "ms", scale: { factor: 2 } });
    expect(config.objectives[0]?.minimize).toBe(true);
    expect(config.outcomeConstraints.map(String)).toEqual(["cost <= 10", "cost >= 1", "quality >= -5%"]);
    // Equal stored metrics come back as one instance, as they were saved.
    expect(config.outcomeConstraints[0]?.metric).toBe(config.outcomeConstraints[1]?.metric);
    expect(decoded.trackingMetrics.map((m) => [m.constructor.name, m.name])).toEqual([
      ["ReportedMetric", "throughput"],
      ["LatencyMetric", "p50"],
    ]);
    const runner = decoded.runner as JobRunner;
    expect(runner).toBeInstanceOf(JobRunner);
    expect([runner.queue, runner.priority]).toEqual(["gpu", 5]);
  });

  it("restores trials of every status with their counters, arms, weights and metadata", () => {
    const { original, decoded } = roundTrip();
    for (const s of Object.values(TrialStatus)) {
      expect(decoded.countTrialsWithStatus(s)).toBe(original.countTrialsWithStatus(s));
      expect(decoded.countTrialsWithStatus(s)).toBeGreaterThan(0);
      for (const step of [0, 1, 2]) {
        expect(decoded.countStepTrials(step, [s])).toBe(original.countStepTrials(step, [s]));
      }
    }
    const batch = decoded.getTrial(7) as BatchTrial;
    expect(batch).toBeInstanceOf(BatchTrial);
    expect(batch.weights).toEqual([2, 1, 0.5]);
    expect(batch.arms.map((a) => a.name)).toEqual(["7_0", "7_1", "status_quo"]);
    expect(batch.ttlSeconds).toBe(60);
    const t0 = decoded.getTrial(0) as Trial;
    expect(t0.runMetadata).toEqual({ jobId: 1, host: { name: "worker-1", gpus: [0, 1] } });
    expect(t0.generatorRun?.candidateMetadata).toEqual([
      { acquisitionValue: 0.5, predicted: { mean: 1.25, sem: null } },
    ]);
    expect(decoded.getTrial(1).failureReason).toBe("boom");
    expect(decoded.getTrial(4).ttlSeconds).toBe(3600);
    expect(decoded.getTrial(6).properties).toEqual({ note: "candidate", nested: { deep: [1, { k: "v" }] } });
    expect(decoded.getArm("0_0")?.parameters).toEqual(original.getArm("0_0")?.parameters);
    expect((decoded.getTrial(10) as Trial).arm.name).toBe("0_0");
    expect(decoded.pendingArms.map((a) => a.name)).toEqual(original.pendingArms.map((a) => a.name));
    expect(decoded.lookupTrialData(7).rows.map((r) => r.sem)).toEqual([0, null, 1e-9]);
  });

  it("keeps the decoded experiment working: new trials continue the numbering", () => {
    const { decoded } = roundTrip();
    const next = decoded.newTrial();
    expect(next.index).toBe(12);
    expect(next.timeCreated).toBe(T0 + 99_000);
    decoded.getTrial(4).markCompleted();
    expect(decoded.countTrialsWithStatus("RUNNING")).toBe(0);
  });

  it("round-trips a multi-objective experiment with thresholds and a runner without fields", () => {
    const original = mooExperiment();
    const decoded = decodeExperiment(viaJson(original), {
      trials: trialRows(original).map(decodeTrialSnapshot),
    });
    expect(encodeExperiment(decoded)).toEqual(encodeExperiment(original));
    const config = decoded.requireOptimizationConfig();
    expect(config).toBeInstanceOf(MultiObjectiveOptimizationConfig);
    expect(config.objectiveThresholds.map(String)).toEqual(["a <= 5", "b >= 1.5%"]);
    // A threshold shares its objective's metric instance.
    expect(config.objectiveThresholds[0]?.metric).toBe(config.objectives[0]?.metric);
    expect(decoded.runner).toBeInstanceOf(MockJobRunner);
    expect(decoded.getTrial(0).toJSON()).toEqual(original.getTrial(0).toJSON());
  });

  it("stores the experiment's shape as documented", () => {
    const encoded: EncodedExperiment = encodeExperiment(mooExperiment());
    expect(Object.keys(encoded).sort()).toEqual(
      [
        "formatVersion",
        "name",
        "description",
        "isTest",
        "properties",
        "timeCreated",
        "searchSpace",
        "optimizationConfig",
        "trackingMetrics",
        "runner",
        "immutableSearchSpaceAndOptConfig",
      ].sort(),
    );
    expect(encoded.formatVersion).toBe(1);
    expect(encoded.runner).toEqual({ className: "MockJobRunner", fields: {} });
    expect(encoded.optimizationConfig?.objectives[0]).toEqual({
      metric: { className: "ReportedMetric", fields: { name: "a", lowerIsBetter: true, properties: {} } },
      minimize: true,
    });
    expect(encoded.optimizationConfig?.objectiveThresholds[1]).toEqual({
      metricName: "b",
      op: "GEQ",
      bound: 1.5,
      relative: true,
    });
    const sum = encodeExperiment(richExperiment().experiment).searchSpace.parameterConstraints[2];
    expect(sum).toEqual({ kind: "sum", parameters: ["x1", "x2"], isUpperBound: false, bound: -3 });
  });

  it("decodes an experiment without trials, data, config or runner", () => {
    const original = mooExperiment();
    const encoded = { ...encodeExperiment(original), optimizationConfig: null, runner: null };
    const decoded = decodeExperiment(encoded);
    expect(decoded.numTrials).toBe(0);
    expect(decoded.optimizationConfig).toBeNull();
    expect(decoded.runner).toBeNull();
    expect(encodeExperiment(decoded)).toEqual(encoded);
  });

  it("encodes a trial as its snapshot", () => {
    const { experiment } = richExperiment();
    expect(encodeTrial(experiment.getTrial(7))).toEqual(experiment.getTrial(7).toJSON());
  });

  it("does not share mutable state between the encoding and either experiment", () => {
    const { experiment } = richExperiment();
    const encoded = encodeExperiment(experiment);
    const decoded = decodeExperiment(encoded);
    (encoded.properties.budget as { trials: number }).trials = 0;
    (encoded.optimizationConfig!.objectives[0]!.metric.fields.tags as string[]).push("x");
    expect(experiment.properties.budget).toEqual({ trials: 20, hours: 1.5 });
    expect(decoded.properties.budget).toEqual({ trials: 20, hours: 1.5 });
    expect((decoded.requireOptimizationConfig().objectives[0]!.metric as LatencyMetric).tags).toEqual([
      "prod",
      "eu",
    ]);
  });

  it("restores 10,000 trials with data in one pass", () => {
    const { experiment } = richExperiment();
    const base = experiment.getTrial(0).toJSON();
    const trials = Array.from({ length: 10_000 }, (_, i) => ({
      ...base,
      index: i,
      arms: [{ name: `${i}_0`, parameters: { ...base.arms[0]!.parameters, x1: (i % 1000) / 100 } }],
      generatorRuns: [{ ...base.generatorRuns[0]!, armNames: [`${i}_0`] }],
    }));
    // Out of order on purpose: the decoder places trials by index.
    trials.reverse();
    const data = trials.map((t) => ({
      trialIndex: t.index,
      armName: `${t.index}_0`,
      metricName: "latency",
      mean: t.index,
      sem: null,
    }));
    const decoded = decodeExperiment(viaJson(experiment), { trials, data });
    expect(decoded.numTrials).toBe(10_000);
    expect(decoded.countTrialsWithStatus("COMPLETED")).toBe(10_000);
    expect(decoded.countStepTrials(0, ["COMPLETED"])).toBe(10_000);
    expect(decoded.numObservations).toBe(10_000);
    expect(decoded.getTrial(9_999).toJSON()).toEqual(trials[0]);
  });
});
