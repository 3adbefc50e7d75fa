import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonValue } from "../../../src/core/index.js";
import { StorageError } from "../../../src/errors.js";
import {
  decodeDataRow,
  decodeExperiment,
  decodeTrialSnapshot,
  registerMetric,
  registerRunner,
  unregisterMetric,
  unregisterRunner,
} from "../../../src/storage/codec/index.js";
import { catchError } from "../../core/helpers.js";
import {
  JobRunner,
  LatencyMetric,
  MockJobRunner,
  mooExperiment,
  richExperiment,
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

type Json = { [key: string]: JsonValue };

/** A fresh JSON copy of the rich experiment's encoding, edited by `edit`. */
function edited(edit: (e: Json) => void): JsonValue {
  const json = viaJson(richExperiment().experiment) as Json;
  edit(json);
  return json;
}

function at(obj: JsonValue, path: (string | number)[]): Json {
  let cur: JsonValue = obj;
  for (const k of path) cur = (cur as Record<string, JsonValue>)[k] as JsonValue;
  return cur as Json;
}

function decodeError(json: JsonValue): StorageError {
  return catchError(() => decodeExperiment(json), StorageError);
}

describe("decodeExperiment validation", () => {
  it.each<[string, (e: Json) => void, string, string]>([
    ["not an object", (e) => delete e.name, "$.name", "expected a non-empty string, got nothing"],
    ["a wrong type", (e) => (e.isTest = "yes"), "$.isTest", 'expected true or false, got the string "yes"'],
    [
      "a bad parameter kind",
      (e) => (at(e, ["searchSpace", "parameters", 2]).kind = "slider"),
      "$.searchSpace.parameters[2].kind",
      'expected one of "range", "choice", "fixed"',
    ],
    [
      "a non-finite bound",
      (e) => (at(e, ["searchSpace", "parameters", 0]).upper = null),
      "$.searchSpace.parameters[0].upper",
      "expected a finite number, got null",
    ],
    [
      "a choice value of another kind",
      (e) => ((at(e, ["searchSpace", "parameters", 5]).values as JsonValue[])[1] = { v: 1 }),
      "$.searchSpace.parameters[5].values[1]",
      "expected a string, finite number or boolean, got an object",
    ],
    [
      "a constraint weight",
      (e) => (at(e, ["searchSpace", "parameterConstraints", 0, "constraintDict"]).x2 = "2"),
      "$.searchSpace.parameterConstraints[0].constraintDict.x2",
      "expected a finite number",
    ],
    [
      "an outcome constraint op",
      (e) => (at(e, ["optimizationConfig", "outcomeConstraints", 1]).op = "<="),
      "$.optimizationConfig.outcomeConstraints[1].op",
      'expected one of "LEQ", "GEQ"',
    ],
    [
      "metric fields",
      (e) => (at(e, ["trackingMetrics", 1]).fields = []),
      "$.trackingMetrics[1].fields",
      "expected an object, got an array",
    ],
    [
      "a missing objective",
      (e) => (at(e, ["optimizationConfig"]).objectives = []),
      "$.optimizationConfig.objectives",
      "expected exactly one objective",
    ],
    [
      "a runner",
      (e) => (e.runner = "JobRunner"),
      "$.runner",
      'expected an object, got the string "JobRunner"',
    ],
  ])("reports %s with its JSON path", (_what, edit, path, message) => {
    const e = decodeError(edited(edit));
    expect(e.path).toBe(path);
    expect(e.message).toContain(`Malformed stored JSON at ${path}: ${message}`);
  });

  it("reports a definition that the core refuses, with its path and the core error as cause", () => {
    const e = decodeError(edited((j) => (at(j, ["searchSpace", "parameters", 0]).lower = 20)));
    expect(e.path).toBe("$.searchSpace.parameters[0]");
    expect(e.message).toContain('Cannot rebuild the stored parameter "x1" at $.searchSpace.parameters[0]');
    expect(e.message).toContain("lower (20) must be strictly less than upper (10)");
    expect((e.cause as Error).name).toBe("SearchSpaceError");
    const t = decodeError(
      edited((j) =>
        (at(j, ["optimizationConfig", "objectiveThresholds"]) as unknown as JsonValue[]).push({}),
      ),
    );
    expect(t.path).toBe("$.optimizationConfig.objectiveThresholds[0].metricName");
  });

  it("refuses a threshold that names no objective", () => {
    const encoded = viaJson(mooExperiment());
    at(encoded, ["optimizationConfig", "objectiveThresholds", 1]).metricName = "c";
    const e = decodeError(encoded);
    expect(e.path).toBe("$.optimizationConfig.objectiveThresholds[1].metricName");
    expect(e.message).toContain("expected the metric name of one of the objectives");
  });

  it("refuses a newer format version, saying to upgrade ascent", () => {
    const e = decodeError(edited((j) => (j.formatVersion = 2)));
    expect(e.message).toBe(
      'Experiment "rich" was stored in format version 2, but this version of ascent reads format versions up to 1. Upgrade ascent to load it.',
    );
    expect(e.path).toBe("$.formatVersion");
    expect(decodeError(edited((j) => delete j.formatVersion)).path).toBe("$.formatVersion");
    expect(decodeError(null).path).toBe("$");
    expect(decodeError([]).message).toContain("Malformed stored JSON at $: expected an object, got an array");
  });

  it("refuses trial indices that are not 0..n-1", () => {
    const { experiment } = richExperiment();
    const encoded = viaJson(experiment);
    const trials = [experiment.getTrial(0).toJSON(), experiment.getTrial(2).toJSON()];
    const gap = catchError(() => decodeExperiment(encoded, { trials }), StorageError);
    expect(gap.message).toBe(
      'Cannot restore the trials of experiment "rich": trial indices must be 0..1, each once, but trials[1] has index 2.',
    );
    expect(gap.path).toBe("trials[1].index");
    const twice = [experiment.getTrial(0).toJSON(), experiment.getTrial(0).toJSON()];
    expect(catchError(() => decodeExperiment(encoded, { trials: twice }), StorageError).message).toContain(
      "has index 0, which appears twice",
    );
  });

  it("refuses data for trials that do not exist", () => {
    const { experiment } = richExperiment();
    const data = [{ trialIndex: 0, armName: "0_0", metricName: "latency", mean: 1, sem: null }];
    const e = catchError(() => decodeExperiment(viaJson(experiment), { data }), StorageError);
    expect(e.path).toBe("data");
    expect(e.message).toContain("names trial 0, which does not exist");
  });
});

describe("decodeTrialSnapshot / decodeDataRow", () => {
  const snapshot = (): Json =>
    JSON.parse(JSON.stringify(richExperiment().experiment.getTrial(7).toJSON())) as Json;

  it("returns a valid snapshot unchanged", () => {
    const s = snapshot();
    expect(decodeTrialSnapshot(s)).toEqual(s);
  });

  it.each<[string, (s: Json) => void, string, string]>([
    ["a bad status", (s) => (s.status = "DONE"), "$.status", 'expected one of "CANDIDATE"'],
    ["a negative index", (s) => (s.index = -1), "$.index", "expected an integer >= 0, got number -1"],
    ["a time", (s) => (s.timeRunStarted = "noon"), "$.timeRunStarted", "expected a finite number or null"],
    ["metadata", (s) => (s.runMetadata = null), "$.runMetadata", "expected an object, got null"],
    [
      "an arm parameter",
      (s) => (at(s, ["arms", 1, "parameters"]).x1 = null),
      "$.arms[1].parameters.x1",
      "expected a string, finite number or boolean",
    ],
    [
      "weights of the wrong length",
      (s) => (at(s, ["generatorRuns", 0]).weights = [1]),
      "$.generatorRuns[0].weights",
      "expected 2 entries (one per arm name)",
    ],
    [
      "an unknown arm name",
      (s) => ((at(s, ["generatorRuns", 1]).armNames as JsonValue[])[0] = "ghost"),
      "$.generatorRuns[1].armNames[0]",
      "expected the name of one of the trial's arms",
    ],
    [
      "a Trial with two arms",
      (s) => (s.trialType = "Trial"),
      "$.generatorRuns",
      "expected at most one generator run for a Trial",
    ],
    [
      "an arm no run names",
      (s) => (s.arms as JsonValue[]).push({ name: "extra", parameters: {} }),
      "$.arms",
      "expected 3 arms (those of the generator runs)",
    ],
  ])("reports %s with its JSON path", (_what, edit, path, message) => {
    const s = snapshot();
    edit(s);
    const e = catchError(() => decodeTrialSnapshot(s), StorageError);
    expect(e.path).toBe(path);
    expect(e.message).toContain(`at ${path}: ${message}`);
  });

  it("checks data rows", () => {
    const row = { trialIndex: 1, armName: "1_0", metricName: "m", mean: 0.5, sem: 0 };
    expect(decodeDataRow(row)).toEqual(row);
    expect(decodeDataRow({ ...row, sem: null }).sem).toBeNull();
    expect(catchError(() => decodeDataRow({ ...row, mean: "1" }), StorageError).path).toBe("$.mean");
    expect(catchError(() => decodeDataRow({ ...row, armName: "" }), StorageError).path).toBe("$.armName");
  });
});
