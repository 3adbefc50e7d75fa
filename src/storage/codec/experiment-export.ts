import type { TrialSnapshot } from "../../core/base-trial.js";
import type { DataRow } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import { StorageError } from "../../errors.js";
import type { Clock } from "../../util/clock.js";
import { decodeExperimentAt, type EncodedExperiment, encodeExperiment } from "./experiment-codec.js";
import { asJsonValue, asObject, malformed, readArray } from "./json-shape.js";
import { readDataRow, readTrialSnapshot } from "./trial-codec.js";

/** The `format` tag of an exported experiment file. */
export const EXPORT_FORMAT = "ascent.experiment";
/**
 * Newest version of {@link ExportedExperiment} this release reads; newer versions are refused on import.
 * Version 2 adds data rows with a progression; an export without any is written as version 1, unchanged,
 * so that older releases still read it (and refuse one whose curves they would misread as final values).
 */
export const EXPORT_FORMAT_VERSION = 2;

/** A whole experiment in one JSON document: definition, trials, data and generation state. */
export interface ExportedExperiment {
  format: "ascent.experiment";
  /** 2 when some data row has a progression, else 1. */
  formatVersion: 1 | 2;
  /** When the export was made (ISO 8601, from the experiment's clock). */
  exportedAt: string;
  experiment: EncodedExperiment;
  trials: TrialSnapshot[];
  data: DataRow[];
  generationState: JsonValue | null;
}

/** Options of {@link importExperiment}. */
export interface ImportExperimentOptions {
  /** The imported experiment's clock (the system clock by default). */
  clock?: Clock;
}

/**
 * Exports an experiment with its trials (by index), its data (every progression row, in arrival order,
 * and the final row of each trial, arm and metric) and, optionally, the generation strategy's state, as
 * one JSON-safe document. `exportedAt` is read from the experiment's clock.
 * @throws StorageError when a metric or runner class is not registered or not JSON-serializable.
 * @example await writeFile("exp.json", exportExperimentToJson(experiment, strategy.toJSON()));
 */
export function exportExperiment(
  experiment: Experiment,
  generationState: JsonValue | null = null,
): ExportedExperiment {
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < experiment.numTrials; i++) trials.push(experiment.getTrial(i).toJSON());
  const data = experiment.lookupCurveData().rows.map((r) => ({ ...r }));
  return {
    format: EXPORT_FORMAT,
    formatVersion: data.some((r) => r.progression) ? 2 : 1,
    exportedAt: new Date(experiment.clock.now()).toISOString(),
    experiment: encodeExperiment(experiment),
    trials,
    data,
    generationState: generationState === null ? null : structuredClone(generationState),
  };
}

/**
 * Rebuilds an experiment (with its trials and data) and its generation state from an export made by
 * {@link exportExperiment} (parsed JSON, or the object itself).
 * @throws StorageError with the JSON path for malformed input, a newer format version (upgrade ascent),
 * or a Metric or Runner class that is not registered (call `registerMetric`/`registerRunner` first).
 */
export function importExperiment(
  json: unknown,
  options: ImportExperimentOptions = {},
): { experiment: Experiment; generationState: JsonValue | null } {
  const o = asObject(json, "$");
  if (o.format !== EXPORT_FORMAT) malformed("$.format", `"${EXPORT_FORMAT}"`, o.format);
  const version = o.formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    malformed("$.formatVersion", "a format version (an integer >= 1)", version);
  }
  if (version > EXPORT_FORMAT_VERSION) {
    throw new StorageError(
      `This experiment export has format version ${version}, but this version of ascent reads format ` +
        `versions up to ${EXPORT_FORMAT_VERSION}. Upgrade ascent to import it.`,
      { path: "$.formatVersion" },
    );
  }
  const trials = readArray(o, "trials", "$").map((t, i) => readTrialSnapshot(t, `$.trials[${i}]`));
  const data = readArray(o, "data", "$").map((r, i) => readDataRow(r, `$.data[${i}]`));
  const generationState =
    o.generationState === undefined ? null : asJsonValue(o.generationState, "$.generationState");
  const experiment = decodeExperimentAt(
    o.experiment,
    { trials, data, ...(options.clock ? { clock: options.clock } : {}) },
    { root: "$.experiment", trials: "$.trials", data: "$.data" },
  );
  return { experiment, generationState };
}

/** {@link exportExperiment} as JSON text. */
export function exportExperimentToJson(
  experiment: Experiment,
  generationState: JsonValue | null = null,
): string {
  return JSON.stringify(exportExperiment(experiment, generationState), null, 2);
}

/**
 * {@link importExperiment} from JSON text.
 * @throws StorageError when the text is not JSON, or as {@link importExperiment}.
 */
export function importExperimentFromJson(
  text: string,
  options: ImportExperimentOptions = {},
): { experiment: Experiment; generationState: JsonValue | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new StorageError(`The experiment export is not valid JSON: ${(cause as Error).message}`, {
      cause,
      path: "$",
    });
  }
  return importExperiment(json, options);
}
