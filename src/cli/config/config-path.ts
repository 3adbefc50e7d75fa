/** A location in a parsed config file: object keys and array indices from the root. */
export type ConfigPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Writes a path as messages show it: `parameters[2].bounds`, `objectives.p99Ms.threshold`; keys that are
 * not identifiers are quoted (`runner.env["MY-VAR"]`).
 * @example formatConfigPath(["parameters", 2, "bounds"]) // "parameters[2].bounds"
 */
export function formatConfigPath(path: ConfigPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * The value at `path` inside `root`, or undefined when the path leads nowhere.
 * @example valueAt({ a: [1, { b: 2 }] }, ["a", 1, "b"]) // 2
 */
export function valueAt(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

/**
 * Describes a value's kind for messages: `a string ("node x")`, `a number (5)`, `a list`, `nothing`.
 * @example describeKind("node x") // 'a string ("node x")'
 */
export function describeKind(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `a string (${truncate(JSON.stringify(value))})`;
  return `${typeof value === "number" ? "a number" : "a boolean"} (${String(value)})`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/**
 * Reads back a path written by {@link formatConfigPath}.
 * @example parseConfigPath('runner.env["MY-VAR"]') // ["runner", "env", "MY-VAR"]
 */
export function parseConfigPath(text: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const token = /([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of text.matchAll(token)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(JSON.parse(m[3]!) as string);
  }
  return parts;
}
