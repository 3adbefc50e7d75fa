import type { TrialSnapshot } from "../../core/base-trial.js";
import type { DataRow } from "../../core/data.js";
import type { JsonObject, JsonValue } from "../../core/json.js";
import { ALL_TRIAL_STATUSES } from "../../core/trial-status.js";
import {
  asObject,
  asParameterValue,
  malformed,
  type Obj,
  readArray,
  readEnum,
  readIndex,
  readIndexOrNull,
  readJsonObject,
  readNonEmptyString,
  readNumber,
  readNumberOrNull,
  readString,
  readStringOrNull,
} from "./json-shape.js";

const TRIAL_TYPES = ["Trial", "BatchTrial"] as const;

/**
 * Checks that a JSON value (e.g. a row read from a database) is a trial snapshot and returns it typed.
 * Arms named by generator runs must be among the trial's arms, and a Trial has at most one run of one arm.
 * @throws StorageError with the JSON path of the first malformed field.
 */
export function decodeTrialSnapshot(json: JsonValue): TrialSnapshot {
  return readTrialSnapshot(json, "$");
}

/**
 * Checks that a JSON value is a data row and returns it typed. Means and sems are checked again (finite,
 * sem >= 0) when the row is attached to an experiment.
 * @throws StorageError with the JSON path of the first malformed field.
 */
export function decodeDataRow(json: JsonValue): DataRow {
  return readDataRow(json, "$");
}

/** @internal {@link decodeTrialSnapshot} at a path. */
export function readTrialSnapshot(value: unknown, path: string): TrialSnapshot {
  const o = asObject(value, path);
  const trialType = readEnum(o, "trialType", path, TRIAL_TYPES);
  const arms = readArray(o, "arms", path).map((a, i) => readArm(a, `${path}.arms[${i}]`));
  const generatorRuns = readArray(o, "generatorRuns", path).map((r, i) =>
    readGeneratorRun(r, `${path}.generatorRuns[${i}]`),
  );
  const snapshot: TrialSnapshot = {
    index: readIndex(o, "index", path),
    trialType,
    status: readEnum(o, "status", path, ALL_TRIAL_STATUSES),
    timeCreated: readNumber(o, "timeCreated", path),
    timeStaged: readNumberOrNull(o, "timeStaged", path),
    timeRunStarted: readNumberOrNull(o, "timeRunStarted", path),
    timeCompleted: readNumberOrNull(o, "timeCompleted", path),
    runMetadata: readJsonObject(o, "runMetadata", path),
    failureReason: readStringOrNull(o, "failureReason", path),
    ttlSeconds: readNumberOrNull(o, "ttlSeconds", path),
    properties: readJsonObject(o, "properties", path),
    arms,
    generatorRuns,
  };
  checkArmReferences(snapshot, path);
  return snapshot;
}

/** @internal {@link decodeDataRow} at a path. */
export function readDataRow(value: unknown, path: string): DataRow {
  const o = asObject(value, path);
  const row: DataRow = {
    trialIndex: readIndex(o, "trialIndex", path),
    armName: readNonEmptyString(o, "armName", path),
    metricName: readNonEmptyString(o, "metricName", path),
    mean: readNumber(o, "mean", path),
    sem: readNumberOrNull(o, "sem", path),
  };
  const progression = readProgression(o.progression, `${path}.progression`);
  // A final row gets no progression key, exactly as it was written.
  return progression === null ? row : { ...row, progression };
}

/**
 * A data row's progression (absent or null for a final row): an object of numbers. Whether it is
 * non-empty with finite values is checked again when the row is attached to an experiment.
 * @internal
 */
export function readProgression(value: unknown, path: string): Record<string, number> | null {
  if (value === undefined || value === null) return null;
  const o = asObject(value, path);
  const out: Record<string, number> = {};
  for (const key of Object.keys(o)) out[key] = readNumber(o, key, path);
  return out;
}

function readArm(value: unknown, path: string): TrialSnapshot["arms"][number] {
  const o = asObject(value, path);
  const raw = asObject(o.parameters, `${path}.parameters`);
  const parameters: Record<string, JsonValue> = {};
  for (const key of Object.keys(raw))
    parameters[key] = asParameterValue(raw[key], `${path}.parameters.${key}`);
  return { name: readNonEmptyString(o, "name", path), parameters };
}

function readGeneratorRun(value: unknown, path: string): TrialSnapshot["generatorRuns"][number] {
  const o = asObject(value, path);
  const armNames = readArray(o, "armNames", path).map((n, i) => {
    if (typeof n !== "string" || n === "") malformed(`${path}.armNames[${i}]`, "a non-empty string", n);
    return n;
  });
  const weights = readSameLength(o, "weights", path, armNames.length).map((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w))
      malformed(`${path}.weights[${i}]`, "a finite number", w);
    return w;
  });
  const candidateMetadata = readSameLength(o, "candidateMetadata", path, armNames.length).map((m, i) =>
    m === null ? null : (asObject(m, `${path}.candidateMetadata[${i}]`) as JsonObject),
  );
  return {
    generatorName: readString(o, "generatorName", path),
    generationStepIndex: readIndexOrNull(o, "generationStepIndex", path),
    armNames,
    weights,
    candidateMetadata,
    metadata: readJsonObject(o, "metadata", path),
    timeCreated: readNumber(o, "timeCreated", path),
  };
}

function readSameLength(o: Obj, key: string, path: string, length: number): readonly unknown[] {
  const arr = readArray(o, key, path);
  if (arr.length !== length) malformed(`${path}.${key}`, `${length} entries (one per arm name)`, arr);
  return arr;
}

function checkArmReferences(snapshot: TrialSnapshot, path: string): void {
  const names = new Set(snapshot.arms.map((a) => a.name));
  snapshot.generatorRuns.forEach((run, r) => {
    run.armNames.forEach((name, k) => {
      if (!names.has(name)) {
        malformed(`${path}.generatorRuns[${r}].armNames[${k}]`, "the name of one of the trial's arms", name);
      }
    });
  });
  if (snapshot.trialType === "Trial") {
    if (snapshot.generatorRuns.length > 1) {
      malformed(`${path}.generatorRuns`, "at most one generator run for a Trial", snapshot.generatorRuns);
    }
    const run = snapshot.generatorRuns[0];
    if (run && run.armNames.length !== 1) {
      malformed(`${path}.generatorRuns[0].armNames`, "exactly one arm for a Trial", run.armNames);
    }
  }
  const referenced = snapshot.generatorRuns.reduce((n, run) => n + run.armNames.length, 0);
  if (referenced !== snapshot.arms.length) {
    malformed(`${path}.arms`, `${referenced} arms (those of the generator runs)`, snapshot.arms);
  }
}
