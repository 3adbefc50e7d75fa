import type { BaseTrial } from "../core/base-trial.js";
import { type JsonValue, toJsonValue } from "../core/json.js";
import type { Logger } from "../util/logger.js";

/**
 * What the store keeps must be JSON. Values that reach a trial or the generation state past the checks
 * at their entry points (user code changing a trial's properties or nested run metadata later, a custom
 * generator's state) are found here before each save, so that one bad value cannot make every later save
 * fail: it is replaced or left out, and logged.
 */

/** A field of a trial that cannot be stored as JSON. */
interface UnencodableField {
  /** `properties` or `runMetadata`. */
  readonly record: "properties" | "runMetadata";
  /** The top-level key under which the bad value sits. */
  readonly key: string;
  /** Full path of the bad value, e.g. `properties.handle.pool`. */
  readonly path: string;
  /** What the value is, e.g. `a bigint (5)`, `a circular reference`. */
  readonly why: string;
}

/**
 * Finds the first value of a trial's free-form records (properties, and run metadata whose nested
 * objects user code can still change) that JSON cannot hold; null when everything can be stored.
 * Run metadata is checked where `run()` returns; this catches what user code changed afterwards.
 * @internal
 */
function findUnencodableField(trial: BaseTrial): UnencodableField | null {
  for (const record of ["properties", "runMetadata"] as const) {
    const value = record === "properties" ? trial.properties : trial.runMetadata;
    for (const key of Object.keys(value)) {
      const found = findUnencodable(value[key], `${record}.${key}`);
      if (found) return { record, key, ...found };
    }
  }
  return null;
}

/**
 * Replaces the top-level entry holding an unencodable value with a string saying what it was, so that
 * the trial (and with it every other queued change) can be saved: one bad value must not block the
 * save queue. Returns the text stored in its place.
 * @internal
 */
function replaceUnencodable(trial: BaseTrial, field: UnencodableField): string {
  const placeholder = `[not stored: ${field.path} was ${field.why}]`;
  if (field.record === "properties") trial.properties[field.key] = placeholder;
  else trial.updateRunMetadata({ [field.key]: placeholder });
  return placeholder;
}

/**
 * Where in `value` (named `path`) the first value JSON cannot hold is, and what it is; null when it is
 * all JSON.
 * @internal
 */
function findUnencodable(value: unknown, path: string): { path: string; why: string } | null {
  try {
    toJsonValue(value, path, (where, why) => new BadField(where, why));
    return null;
  } catch (error) {
    if (error instanceof BadField) return { path: error.path, why: error.why };
    throw error;
  }
}

class BadField extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path}: ${why}`);
  }
}

/**
 * Makes a queued trial storable when user code put a value JSON cannot hold into its properties or
 * nested run metadata: each such value is replaced (see {@link replaceUnencodable}) and logged.
 * @internal
 */
export function makeTrialStorable(trial: BaseTrial, logger: Logger): void {
  for (let field = findUnencodableField(trial); field; field = findUnencodableField(trial)) {
    const placeholder = replaceUnencodable(trial, field);
    logger.error(
      `Trial ${trial.index}: ${field.path} is ${field.why}, which cannot be stored; storing "${placeholder}" ` +
        `under ${field.record}.${field.key} instead so that the other changes are saved. Keep trial properties ` +
        "and run metadata JSON (strings, finite numbers, booleans, null, arrays, plain objects).",
    );
  }
}

/**
 * The generation strategy's state, or undefined when it holds a value JSON cannot (a custom generator's
 * `getState`): that is logged, and the other changes are saved without it rather than never.
 * @internal
 */
export function storableState(state: JsonValue, logger: Logger): JsonValue | undefined {
  const bad = findUnencodable(state, "generationState");
  if (!bad) return state;
  logger.error(
    `The generation strategy's state cannot be stored: ${bad.path} is ${bad.why}. Saving the other changes ` +
      "without it; a Scheduler resumed from the store starts from the last stored state. Make custom " +
      "generators' getState return JSON.",
  );
  return undefined;
}
