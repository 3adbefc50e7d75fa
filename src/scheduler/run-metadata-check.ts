import type { RunMetadata } from "../core/base-trial.js";
import { describeKind, isPlainObject, toJsonObject } from "../core/json.js";
import { RunMetadataError } from "../errors.js";

/**
 * Checks what a runner's `run` (or `runTrials`) returned for one trial, where it returns: run metadata
 * is stored with the trial, so it must be JSON (strings, finite numbers, booleans, null, arrays and
 * plain objects). Checking here, not at save time, puts the blame on the trial that brought the bad
 * value, and keeps it from poisoning every later save.
 * @returns a deep copy (later changes to the runner's object do not reach the trial); `{}` for undefined.
 * @throws RunMetadataError naming the trial and the field path.
 * @internal
 */
export function checkRunMetadata(trialIndex: number, metadata: unknown): RunMetadata {
  if (metadata === undefined) return {};
  if (!isPlainObject(metadata)) {
    throw new RunMetadataError(
      `Trial ${trialIndex}: run returned ${describeKind(metadata)} as run metadata; return a plain object ` +
        "of JSON values (e.g. { jobId: 12 }), or nothing.",
      { trialIndex, path: "" },
    );
  }
  return toJsonObject(
    metadata,
    (path, why) =>
      new RunMetadataError(
        `Trial ${trialIndex}: run metadata field "${path}" is ${why}, which cannot be stored. Run metadata ` +
          "must be JSON (strings, finite numbers, booleans, null, arrays, plain objects): convert the value " +
          "(e.g. String(id) for a BigInt) or keep it outside the metadata.",
        { trialIndex, path },
      ),
  );
}
