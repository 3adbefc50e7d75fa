/**
 * JSON values and the checks that keep user-supplied objects JSON: the one home of these types and
 * helpers for every layer (metadata, stored metrics and runners, generator state, run metadata).
 */

/** JSON-safe values for metadata and stored state. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Builds the error for a field (path like `retry.backoff[2]`) that is not JSON, and why. */
export type JsonFieldFailure<E extends Error = Error> = (field: string, why: string) => E;

/** Whether `value` is an object literal (prototype Object.prototype or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether a JSON value is an object (not an array, not null): the shape of stored generator state. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A checked deep copy of an object's own enumerable fields as JSON: strings, booleans, finite numbers,
 * null, arrays and plain objects. Undefined fields are left out; anything else throws `fail(field, why)`.
 */
export function toJsonObject(obj: Record<string, unknown>, fail: JsonFieldFailure): JsonObject {
  const out: JsonObject = {};
  const stack = new Set<object>([obj]);
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v !== undefined) out[key] = toJson(v, key, fail, stack);
  }
  return out;
}

/** A checked deep copy of any value as JSON; see {@link toJsonObject}. `path` names the value in errors. */
export function toJsonValue(value: unknown, path: string, fail: JsonFieldFailure): JsonValue {
  return toJson(value, path, fail, new Set<object>());
}

function toJson(value: unknown, path: string, fail: JsonFieldFailure, stack: Set<object>): JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) return value;
      throw fail(path, `the number ${value}`);
    case "object": {
      if (value === null) return null;
      if (stack.has(value)) throw fail(path, "a circular reference");
      if (Array.isArray(value)) {
        stack.add(value);
        const arr = value.map((v, i) => {
          if (v === undefined) throw fail(`${path}[${i}]`, "undefined");
          return toJson(v, `${path}[${i}]`, fail, stack);
        });
        stack.delete(value);
        return arr;
      }
      if (!isPlainObject(value)) throw fail(path, describeKind(value));
      stack.add(value);
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v !== undefined) out[key] = toJson(v, `${path}.${key}`, fail, stack);
      }
      stack.delete(value);
      return out;
    }
    default:
      throw fail(path, describeKind(value));
  }
}

/** A short description of a value's kind for messages (`a Pool instance`, `a function (f)`). */
export function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return value.name ? `a function (${value.name})` : "a function";
  if (typeof value === "object") {
    if (Array.isArray(value)) return "an array";
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name} instance` : "an object";
  }
  return `a ${typeof value} (${String(value)})`;
}

/**
 * A short rendering of a value a user passed, for error messages: `undefined`, `3`, `"abc"`, `[1,2]`
 * (at most `maxChars` characters, 80 by default).
 */
export function describeValue(value: unknown, maxChars = 80): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return "a function";
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
  } catch {
    return String(value);
  }
}
