import type { JsonValue } from "../../core/json.js";

/** The key that marks a packed array; no spec or data key starts with a NUL character. */
export const PACKED_MARKER = "\u0000packed";

/** Significant digits kept of non-integer numbers: far beyond what a chart or a tooltip can show. */
const SIGNIFICANT_DIGITS = 7;

/** Arrays shorter than this stay as they are: packing pays only for long runs of similar rows. */
const MIN_ROWS = 8;

type Json = JsonValue;

/**
 * A JSON value made smaller for a page, for {@link UNPACK_JSON_SOURCE} to restore in the browser:
 * non-integer numbers keep 7 significant digits; an array of 8 or more objects with the same keys (a
 * data table) becomes one list of keys and one column per key; a column whose values repeat (a
 * category, a tooltip object shared by several rows) is stored as a dictionary of its distinct values
 * and an index per row, and a column of objects with the same keys (a tooltip per row) as a table of its own. Chart data is mostly such tables, so a 1,000-trial report shrinks several-fold.
 * @example `<script type="application/json">${jsonForScript(packJson(specs))}</script>`
 */
export function packJson(value: Json): Json {
  if (typeof value === "number") return roundNumber(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return packTable(value) ?? value.map(packJson);
  // fromEntries defines own properties, so a key named "__proto__" stays data.
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, packJson(v)]));
}

function roundNumber(x: number): number {
  return Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/** The packed form of an array of objects with the same keys in the same order, or null. */
function packTable(rows: readonly Json[]): Json | null {
  if (rows.length < MIN_ROWS) return null;
  const first = rows[0];
  if (!isRecord(first)) return null;
  const keys = Object.keys(first);
  if (keys.length === 0) return null;
  for (const row of rows) {
    if (!isRecord(row)) return null;
    const rowKeys = Object.keys(row);
    if (rowKeys.length !== keys.length || rowKeys.some((k, i) => k !== keys[i])) return null;
  }
  const columns = keys.map((key) => packColumn(rows.map((row) => (row as Record<string, Json>)[key]!)));
  return { [PACKED_MARKER]: 1, keys, columns };
}

/**
 * A column as `{ dict, index }` when it has at most half as many distinct values as rows; else, when its
 * values are objects with the same keys (a tooltip per row), as a packed table of its own; else as is.
 */
function packColumn(values: readonly Json[]): Json {
  const scalars = values.every((v) => v === null || typeof v !== "object");
  // Scalars are their own dictionary keys (rounded first, as they will be stored); anything else is
  // keyed by its JSON text, which is not computed for the rest once the column proves too varied.
  const stored: Json[] = scalars ? values.map(packJson) : [...values];
  const dict = dictionaryColumn(stored, scalars ? (v) => v : (v) => JSON.stringify(v));
  if (dict !== null) return scalars ? dict : { dict: dict.dict.map(packJson), index: dict.index };
  return (scalars ? null : packTable(values)) ?? (scalars ? stored : values.map(packJson));
}

function dictionaryColumn(
  values: readonly Json[],
  keyOf: (value: Json) => unknown,
): { dict: Json[]; index: number[] } | null {
  const ids = new Map<unknown, number>();
  const dict: Json[] = [];
  const index: number[] = [];
  for (const value of values) {
    const key = keyOf(value);
    let id = ids.get(key);
    if (id === undefined) {
      id = dict.length;
      ids.set(key, id);
      dict.push(value);
      if (dict.length * 2 > values.length) return null;
    }
    index.push(id);
  }
  return { dict, index };
}

function isRecord(value: Json | undefined): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The browser side of {@link packJson}: a script defining `unpackJson(value)` (and its helper `setOwn`), which returns the value
 * with every packed table back as an array of objects (rows of one table share dictionary values; Vega
 * only reads them). Plain ES2015.
 */
export const UNPACK_JSON_SOURCE = `function setOwn(object, key, value) {
  if (key === "__proto__") Object.defineProperty(object, key, { value: value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
function unpackJson(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(unpackJson);
  if (value[${JSON.stringify(PACKED_MARKER)}] === 1) {
    var keys = value.keys;
    var columns = value.columns.map(function (c) {
      if (Array.isArray(c)) return c.map(unpackJson);
      if (c[${JSON.stringify(PACKED_MARKER)}] === 1) return unpackJson(c);
      var dict = c.dict.map(unpackJson);
      return c.index.map(function (i) { return dict[i]; });
    });
    var n = columns.length ? columns[0].length : 0;
    var rows = new Array(n);
    for (var r = 0; r < n; r++) {
      var row = {};
      for (var k = 0; k < keys.length; k++) setOwn(row, keys[k], columns[k][r]);
      rows[r] = row;
    }
    return rows;
  }
  var out = {};
  for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) setOwn(out, key, unpackJson(value[key]));
  return out;
}`;
