import type { BaseTrial } from "../../core/base-trial.js";
import { isPlainObject } from "../../core/json.js";
import type { ParameterValue } from "../../core/parameter-type.js";
import { QueueRunnerError } from "../../errors.js";
import { experimentKey } from "./job-id.js";

/** Version of the job payload format; a worker refuses a payload of another version. */
export const JOB_PAYLOAD_FORMAT = 1;

/**
 * What a queued job carries to the worker that evaluates it: one trial's parameters and where it
 * belongs. JSON, as BullMQ stores job data.
 */
export interface QueueJobPayload {
  /** {@link JOB_PAYLOAD_FORMAT}. */
  readonly format: number;
  readonly experimentName: string;
  /** The experiment's key in the queue (see `experimentKey`): names the set of its live jobs. */
  readonly experimentKey: string;
  readonly trialIndex: number;
  /** The trial's (one) arm's parameters. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Seconds an evaluation may take before the worker aborts it; null for no limit. */
  readonly timeoutSeconds: number | null;
}

/**
 * The payload of `trial`'s job.
 * @throws QueueRunnerError when the trial has several arms (a job evaluates one arm; use one-arm trials).
 */
export function payloadForTrial(trial: BaseTrial, timeoutSeconds: number | null): QueueJobPayload {
  const arms = trial.arms;
  if (arms.length !== 1) {
    throw new QueueRunnerError(
      `Trial ${trial.index} has ${arms.length} arms; a QueueRunner job evaluates one arm, so it runs one-arm ` +
        "trials only (the Scheduler's default trialType).",
      { trialIndex: trial.index },
    );
  }
  return {
    format: JOB_PAYLOAD_FORMAT,
    experimentName: trial.experimentName,
    experimentKey: experimentKey(trial.experimentName),
    trialIndex: trial.index,
    parameters: { ...arms[0]!.parameters },
    timeoutSeconds,
  };
}

/**
 * Checks job data read from the queue (written by any version of any program) before a worker trusts it.
 * @returns the payload, or why it is not one.
 */
export function parseJobPayload(data: unknown): QueueJobPayload | string {
  if (!isPlainObject(data)) return "the job data is not an object";
  if (data.format !== JOB_PAYLOAD_FORMAT) {
    return `the job's payload format is ${JSON.stringify(data.format)}, this worker reads format ${JOB_PAYLOAD_FORMAT}`;
  }
  const { experimentName, experimentKey: key, trialIndex, parameters, timeoutSeconds } = data;
  if (typeof experimentName !== "string") return "experimentName is not a string";
  if (typeof key !== "string" || key.includes(":")) return "experimentKey is not a key";
  if (!Number.isSafeInteger(trialIndex) || (trialIndex as number) < 0) return "trialIndex is not an index";
  if (!isPlainObject(parameters)) return "parameters is not an object";
  for (const [name, value] of Object.entries(parameters)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      return `parameter ${JSON.stringify(name)} is not a string, number or boolean`;
    }
  }
  if (timeoutSeconds !== null && !(typeof timeoutSeconds === "number" && timeoutSeconds > 0)) {
    return "timeoutSeconds is neither null nor a positive number";
  }
  return {
    format: JOB_PAYLOAD_FORMAT,
    experimentName,
    experimentKey: key,
    trialIndex: trialIndex as number,
    parameters: parameters as Record<string, ParameterValue>,
    timeoutSeconds,
  };
}

/** Whether two payloads describe the same evaluation (same experiment, trial and parameters). */
export function samePayload(a: QueueJobPayload, b: QueueJobPayload): boolean {
  if (a.experimentName !== b.experimentName || a.trialIndex !== b.trialIndex) return false;
  const keys = Object.keys(a.parameters);
  if (keys.length !== Object.keys(b.parameters).length) return false;
  return keys.every((k) => a.parameters[k] === b.parameters[k]);
}
