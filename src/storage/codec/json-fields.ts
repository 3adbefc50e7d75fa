import type { JsonValue } from "../../core/generator-run.js";
import type { StorageError } from "../../errors.js";
import type { JsonObject } from "./registry.js";

/** Builds the error for a field (path like `retry.backoff[2]`) that is not JSON, and why. */
export type Fail = (field: string, why: string) => StorageError;

/**
 * A checked deep copy of an object's own enumerable fields as JSON: strings, booleans, finite numbers,
 * null, arrays and plain objects. Undefined fields are left out; anything else throws `fail(field, why)`.
 */
export function toJsonObject(obj: Record<string, unknown>, fail: Fail): JsonObject {
  const out: JsonObject = {};
  const stack = new Set<object>([obj]);
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v !== undefined) out[key] = toJson(v, key, fail, stack);
  }
  return out;
}

function toJson(value: unknown, path: string, fail: Fail, stack: Set<object>): JsonValue {
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
      if (!isPlainObject(value)) throw fail(path, describe(value));
      stack.add(value);
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) out[key] = toJson(v, `${path}.${key}`, fail, stack);
      }
      stack.delete(value);
      return out;
    }
    default:
      throw fail(path, describe(value));
  }
}

/** Whether `value` is an object literal (prototype Object.prototype or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value's kind for messages (`a Pool instance`, `a function (f)`). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return value.name ? `a function (${value.name})` : "a function";
  if (typeof value === "object") {
    if (Array.isArray(value)) return "an array";
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name} instance` : "an object";
  }
  return `a ${typeof value} (${String(value)})`;
}
