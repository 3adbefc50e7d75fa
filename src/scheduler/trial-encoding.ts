import type { BaseTrial } from "../core/base-trial.js";
import { toJsonValue } from "../core/json.js";

/** A field of a trial that cannot be stored as JSON. */
export interface UnencodableField {
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
export function findUnencodableField(trial: BaseTrial): UnencodableField | null {
  for (const record of ["properties", "runMetadata"] as const) {
    const value = record === "properties" ? trial.properties : trial.runMetadata;
    for (const key of Object.keys(value)) {
      const found = check(value[key], `${record}.${key}`);
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
export function replaceUnencodable(trial: BaseTrial, field: UnencodableField): string {
  const placeholder = `[not stored: ${field.path} was ${field.why}]`;
  if (field.record === "properties") trial.properties[field.key] = placeholder;
  else trial.updateRunMetadata({ [field.key]: placeholder });
  return placeholder;
}

function check(value: unknown, path: string): { path: string; why: string } | null {
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
