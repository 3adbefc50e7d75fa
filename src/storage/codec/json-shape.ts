import { type JsonObject, type JsonValue, toJsonValue } from "../../core/json.js";
import { StorageError } from "../../errors.js";

/**
 * Shape checks for stored JSON: each reads one field, checks its type and returns it typed, or throws a
 * StorageError whose `path` (e.g. `$.searchSpace.parameters[2].lower`) points at the offending value.
 * Paths are built by concatenation as the reader descends, which keeps a check O(1) per field.
 * @internal
 */
export type Obj = Readonly<Record<string, unknown>>;

/** Throws the StorageError for a value at `path` that is not what was expected. */
export function malformed(path: string, expected: string, got: unknown): never {
  throw new StorageError(
    `Malformed stored JSON at ${path}: expected ${expected}, got ${show(got)}. ` +
      "The data was not written by this version of ascent, or was edited by hand.",
    { path },
  );
}

/** `value` as a JSON object (not null, not an array). */
export function asObject(value: unknown, path: string): Obj {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    malformed(path, "an object", value);
  return value as Obj;
}

/** `value` as an array. */
export function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) malformed(path, "an array", value);
  return value;
}

export function readObject(o: Obj, key: string, path: string): Obj {
  return asObject(o[key], `${path}.${key}`);
}

/** A JSON object field, typed as such (its nested values are JSON by construction of the input). */
export function readJsonObject(o: Obj, key: string, path: string): JsonObject {
  return asObject(o[key], `${path}.${key}`) as JsonObject;
}

export function readArray(o: Obj, key: string, path: string): readonly unknown[] {
  return asArray(o[key], `${path}.${key}`);
}

export function readString(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string") malformed(`${path}.${key}`, "a string", v);
  return v;
}

export function readNonEmptyString(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") malformed(`${path}.${key}`, "a non-empty string", v);
  return v;
}

export function readStringOrNull(o: Obj, key: string, path: string): string | null {
  const v = o[key];
  if (v !== null && typeof v !== "string") malformed(`${path}.${key}`, "a string or null", v);
  return v;
}

export function readBoolean(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") malformed(`${path}.${key}`, "true or false", v);
  return v;
}

export function readNumber(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) malformed(`${path}.${key}`, "a finite number", v);
  return v;
}

export function readNumberOrNull(o: Obj, key: string, path: string): number | null {
  const v = o[key];
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) malformed(`${path}.${key}`, "a finite number or null", v);
  return v;
}

export function readIndex(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    malformed(`${path}.${key}`, "an integer >= 0", v);
  }
  return v;
}

export function readIndexOrNull(o: Obj, key: string, path: string): number | null {
  const v = o[key];
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    malformed(`${path}.${key}`, "an integer >= 0 or null", v);
  }
  return v;
}

/** One of `values` (a string enum). */
export function readEnum<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
    malformed(`${path}.${key}`, `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`, v);
  }
  return v as T;
}

/** A parameter value: a string, a finite number or a boolean. */
export function asParameterValue(value: unknown, path: string): string | number | boolean {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return malformed(path, "a string, finite number or boolean", value);
}

/** A deep check that `value` is JSON (for inputs that did not come from JSON.parse), as a checked copy. */
export function asJsonValue(value: unknown, path: string): JsonValue {
  return toJsonValue(
    value,
    path,
    (field, why) =>
      new StorageError(
        `Malformed stored JSON at ${field}: expected a JSON value, got ${why}. ` +
          "The data was not written by this version of ascent, or was edited by hand.",
        { path: field },
      ),
  );
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * Runs a core constructor on stored values; its refusal (a SearchSpaceError, OptimizationConfigError, ...)
 * means the stored definition is invalid, reported as a StorageError at `path` with the original as cause.
 * @internal
 */
export function rebuilding<T>(path: string, what: string, build: () => T): T {
  try {
    return build();
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new StorageError(`Cannot rebuild the stored ${what} at ${path}: ${msg}`, { path, cause });
  }
}
