import { Arm } from "../../core/arm.js";
import type { BaseTrial, TrialSnapshot } from "../../core/base-trial.js";
import { Data, type DataRow } from "../../core/data.js";
import { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import type { Metric } from "../../core/metric.js";
import type { Parameterization } from "../../core/parameter-type.js";
import type { Runner } from "../../core/runner.js";
import { StorageError, StoredTrialOutsideSearchSpaceError } from "../../errors.js";
import type { Clock } from "../../util/clock.js";
import { type EncodedArm, type EncodedExperiment, EXPERIMENT_FORMAT_VERSION } from "./encoded-experiment.js";
import {
  asObject,
  asParameterValue,
  malformed,
  type Obj,
  readArray,
  readBoolean,
  readJsonObject,
  readNonEmptyString,
  readNumber,
  readStringOrNull,
  rebuilding,
} from "./json-shape.js";
import {
  buildOptimizationConfig,
  configMetrics,
  encodeOptimizationConfig,
  readMetric,
  readOptimizationConfig,
} from "./optimization-config-codec.js";
import {
  decodeMetric,
  decodeRunner,
  type EncodedMetric,
  encodeMetric,
  encodeRunner,
  getRegisteredMetric,
  getRegisteredRunner,
  unregisteredClassError,
} from "./registry.js";
import { buildSearchSpace, encodeSearchSpace, readSearchSpace } from "./search-space-codec.js";

export {
  type EncodedExperiment,
  type EncodedObjective,
  type EncodedObjectiveThreshold,
  type EncodedOptimizationConfig,
  type EncodedOutcomeConstraint,
  type EncodedParameter,
  type EncodedParameterConstraint,
  type EncodedSearchSpace,
  EXPERIMENT_FORMAT_VERSION,
} from "./encoded-experiment.js";
export { decodeDataRow, decodeTrialSnapshot } from "./trial-codec.js";

/**
 * What {@link decodeExperiment} attaches to the rebuilt experiment besides its definition. Errors about
 * these parts carry paths such as `trials[3].index` (position in `trials`) and `data`.
 */
export interface DecodeExperimentParts {
  /** Trial snapshots, in any order; their indices must be exactly 0..n-1. */
  trials?: readonly TrialSnapshot[];
  /** Observations, attached after the trials. */
  data?: readonly DataRow[];
  /** The rebuilt experiment's clock (the system clock by default). */
  clock?: Clock;
}

/**
 * Encodes an experiment's definition (not its trials, data or generation state) as JSON.
 * @throws StorageError when a metric or runner class is not registered, or one of their fields is not
 * JSON-serializable (the message names the class and field, and the fix).
 * @example const row = JSON.stringify(encodeExperiment(experiment));
 */
export function encodeExperiment(experiment: Experiment): EncodedExperiment {
  const config = experiment.optimizationConfig;
  return {
    formatVersion: EXPERIMENT_FORMAT_VERSION,
    name: experiment.name,
    description: experiment.description,
    isTest: experiment.isTest,
    properties: structuredClone(experiment.properties),
    timeCreated: experiment.timeCreated,
    searchSpace: encodeSearchSpace(experiment.searchSpace),
    optimizationConfig: config ? encodeOptimizationConfig(config) : null,
    trackingMetrics: experiment.trackingMetrics.map(encodeMetric),
    runner: experiment.runner ? encodeRunner(experiment.runner) : null,
    immutableSearchSpaceAndOptConfig: experiment.immutableSearchSpaceAndOptConfig,
    ...(experiment.statusQuo
      ? { statusQuo: { name: experiment.statusQuo.name, parameters: { ...experiment.statusQuo.parameters } } }
      : {}),
  };
}

/**
 * Rebuilds an experiment from its encoded definition, then restores `parts.trials` in index order
 * (through `Experiment.restoreTrial`) and attaches `parts.data`. Costs O(size of the input).
 * @throws StorageError (with the JSON `path`) for malformed input; for a `formatVersion` newer than this
 * version of ascent reads; for a Metric or Runner class that is not registered (checked before anything
 * is built, so no user constructor runs); for trial indices that are not 0..n-1, or data that names
 * unknown trials.
 * @example const experiment = decodeExperiment(JSON.parse(row.definition), { trials, data, clock });
 */
export function decodeExperiment(encoded: JsonValue, parts: DecodeExperimentParts = {}): Experiment {
  return decodeExperimentAt(encoded, parts, { root: "$", trials: "trials", data: "data" });
}

/** A trial as stored: its snapshot (`trial.toJSON()`), which {@link decodeExperiment} restores. */
export function encodeTrial(trial: BaseTrial): TrialSnapshot {
  return trial.toJSON();
}

/** @internal {@link decodeExperiment} with the paths its parts are reported under. */
export function decodeExperimentAt(
  encoded: unknown,
  parts: DecodeExperimentParts,
  paths: { root: string; trials: string; data: string },
): Experiment {
  const def = readExperiment(encoded, paths.root);
  resolveClasses(def, paths.root);
  const experiment = buildExperiment(def, paths.root, parts.clock);
  experiment.immutableSearchSpaceAndOptConfig = def.immutableSearchSpaceAndOptConfig;
  restoreTrials(experiment, parts.trials ?? [], paths.trials);
  if (parts.data && parts.data.length > 0) {
    const rows = parts.data;
    rebuilding(paths.data, "data", () => experiment.attachData(Data.fromRows(rows)));
  }
  return experiment;
}

/** @internal Checks the shape (and format version) of an encoded experiment. */
export function readExperiment(value: unknown, path: string): EncodedExperiment {
  const o = asObject(value, path);
  readFormatVersion(o, path);
  const config = o.optimizationConfig;
  const runner = o.runner;
  return {
    formatVersion: EXPERIMENT_FORMAT_VERSION,
    name: readNonEmptyString(o, "name", path),
    description: readStringOrNull(o, "description", path),
    isTest: readBoolean(o, "isTest", path),
    properties: readJsonObject(o, "properties", path),
    timeCreated: readNumber(o, "timeCreated", path),
    searchSpace: readSearchSpace(o.searchSpace, `${path}.searchSpace`),
    optimizationConfig: config === null ? null : readOptimizationConfig(config, `${path}.optimizationConfig`),
    trackingMetrics: readArray(o, "trackingMetrics", path).map((m, i) =>
      readMetric(m, `${path}.trackingMetrics[${i}]`),
    ),
    runner: runner === null ? null : readMetric(runner, `${path}.runner`),
    immutableSearchSpaceAndOptConfig: readBoolean(o, "immutableSearchSpaceAndOptConfig", path),
    ...(o.statusQuo === undefined || o.statusQuo === null
      ? {}
      : { statusQuo: readEncodedArm(o.statusQuo, `${path}.statusQuo`) }),
  };
}

function readEncodedArm(value: unknown, path: string): EncodedArm {
  const o = asObject(value, path);
  const raw = asObject(o.parameters, `${path}.parameters`);
  const parameters: EncodedArm["parameters"] = {};
  for (const key of Object.keys(raw))
    parameters[key] = asParameterValue(raw[key], `${path}.parameters.${key}`);
  return { name: readNonEmptyString(o, "name", path), parameters };
}

function readFormatVersion(o: Obj, path: string): void {
  const v = o.formatVersion;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    malformed(`${path}.formatVersion`, "a format version (an integer >= 1)", v);
  }
  if (v > EXPERIMENT_FORMAT_VERSION) {
    const name = typeof o.name === "string" ? `Experiment "${o.name}"` : "The experiment";
    throw new StorageError(
      `${name} was stored in format version ${v}, but this version of ascent reads format versions up to ` +
        `${EXPERIMENT_FORMAT_VERSION}. Upgrade ascent to load it.`,
      { path: `${path}.formatVersion` },
    );
  }
}

/** Every class the experiment needs must be registered before any of them is constructed. */
function resolveClasses(def: EncodedExperiment, path: string): void {
  const metrics: [EncodedMetric, string][] = [
    ...(def.optimizationConfig ? configMetrics(def.optimizationConfig, `${path}.optimizationConfig`) : []),
    ...def.trackingMetrics.map((m, i): [EncodedMetric, string] => [m, `${path}.trackingMetrics[${i}]`]),
  ];
  const experimentName = def.name;
  for (const [m, at] of metrics) {
    if (!getRegisteredMetric(m.className)) {
      throw unregisteredClassError("Metric", m.className, { experimentName, path: `${at}.className` });
    }
  }
  if (def.runner && !getRegisteredRunner(def.runner.className)) {
    throw unregisteredClassError("Runner", def.runner.className, {
      experimentName,
      path: `${path}.runner.className`,
    });
  }
}

function buildExperiment(def: EncodedExperiment, path: string, clock: Clock | undefined): Experiment {
  const experimentName = def.name;
  // Equal stored metrics (e.g. two constraints on one metric) become one instance, as they were saved.
  const cache = new Map<string, Metric>();
  const metric = (encoded: EncodedMetric, at: string): Metric => {
    const key = `${encoded.className}\u0000${JSON.stringify(encoded.fields)}`;
    let m = cache.get(key);
    if (!m) {
      m = decodeMetric(encoded, { experimentName, path: at });
      cache.set(key, m);
    }
    return m;
  };
  const searchSpace = buildSearchSpace(def.searchSpace, `${path}.searchSpace`);
  const config = def.optimizationConfig;
  const optimizationConfig = config
    ? buildOptimizationConfig(config, `${path}.optimizationConfig`, metric)
    : null;
  const trackingMetrics = def.trackingMetrics.map((m, i) => metric(m, `${path}.trackingMetrics[${i}]`));
  const runner: Runner | null = def.runner
    ? decodeRunner(def.runner, { experimentName, path: `${path}.runner` })
    : null;
  return rebuilding(
    path,
    "experiment",
    () =>
      new Experiment({
        name: def.name,
        searchSpace,
        optimizationConfig,
        runner,
        trackingMetrics,
        isTest: def.isTest,
        description: def.description,
        properties: structuredClone(def.properties),
        timeCreated: def.timeCreated,
        ...(clock ? { clock } : {}),
        ...(def.statusQuo ? { statusQuo: new Arm(def.statusQuo) } : {}),
      }),
  );
}

/** Places snapshots by index (O(n), no sort) and restores them in order. */
function restoreTrials(experiment: Experiment, trials: readonly TrialSnapshot[], path: string): void {
  const n = trials.length;
  const positions: number[] = new Array(n).fill(-1);
  trials.forEach((t, k) => {
    const index = t.index;
    const repeated = Number.isInteger(index) && positions[index] !== undefined && positions[index] !== -1;
    if (!Number.isInteger(index) || index < 0 || index >= n || repeated) {
      throw new StorageError(
        `Cannot restore the trials of experiment "${experiment.name}": trial indices must be 0..${n - 1}, ` +
          `each once, but ${path}[${k}] has index ${index}${repeated ? ", which appears twice" : ""}.`,
        { path: `${path}[${k}].index` },
      );
    }
    positions[index] = k;
  });
  positions.forEach((k, index) => {
    const snapshot = trials[k]!;
    checkStoredTrialFits(experiment, snapshot, `${path}[${k}]`);
    rebuilding(`${path}[${k}]`, `trial ${index}`, () => experiment.restoreTrial(snapshot));
  });
}

/**
 * Refuses a stored trial whose arms are outside the experiment's search space, when that search space
 * is frozen (a Scheduler's experiment): its trials were all made in it, so such a trial means that the
 * stored definition and trials disagree (e.g. another process's definition overwrote this one). The
 * search space of a mutable experiment may have been narrowed after its trials ran, as in Ax.
 * @throws StoredTrialOutsideSearchSpaceError naming the trial, arm and parameter.
 */
export function checkStoredTrialFits(experiment: Experiment, snapshot: TrialSnapshot, path: string): void {
  if (!experiment.immutableSearchSpaceAndOptConfig) return;
  // The status quo is the current setting, which may lie outside the search space (as in Ax).
  const statusQuoName = experiment.statusQuo?.name;
  for (const arm of snapshot.arms) {
    if (statusQuoName !== undefined && arm.name === statusQuoName) continue;
    const why = experiment.searchSpace.explainMembership(arm.parameters as Parameterization);
    if (why === null) continue;
    throw new StoredTrialOutsideSearchSpaceError(
      `Stored trial ${snapshot.index} of experiment "${experiment.name}" is outside the stored search ` +
        `space (arm "${arm.name}": ${why}). The stored definition does not match its trials, as when ` +
        "another process saved a different definition under the same name; restore it from a backup, or " +
        "delete the experiment and create it again.",
      {
        experimentName: experiment.name,
        trialIndex: snapshot.index,
        armName: arm.name,
        path: `${path}.arms`,
      },
    );
  }
}
