import type { z } from "zod";
import type { ConfigProblem } from "../../errors.js";
import { configHints } from "./config-hints.js";
import { type ConfigPath, describeKind, formatConfigPath } from "./config-path.js";
import { nearestKey } from "./nearest-key.js";

/** A zod issue as the error map sees it: the raw issue with the input and the schema that refused it. */
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  tuple: "a list",
  object: "an object",
  record: "an object",
  null: "null",
};

/**
 * Validates `data` against `schema` and returns every problem, worded for config files (never zod's own
 * messages): `scheduler.totalTrial: unknown key; did you mean "totalTrials"?`,
 * `runner.command: must be a non-empty array of strings (got a string; write ["node", "x.mjs"])`.
 * @returns the problems, in the order zod found them; none when `data` fits.
 */
export function schemaProblems(schema: z.ZodType, data: unknown): ConfigProblem[] {
  const result = schema.safeParse(data, { error: (issue) => messageOf(issue as RawIssue) });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => problemsOf(issue, [], data));
}

/** Final issues to problems: unions narrowed to the branch the value was meant for, unknown keys split. */
function problemsOf(issue: z.core.$ZodIssue, prefix: ConfigPath, root: unknown): ConfigProblem[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const branch = matchingBranch(issue.errors);
    if (branch) return branch.flatMap((inner) => problemsOf(inner, path, root));
  }
  if (issue.code === "unrecognized_keys") {
    const lines = issue.message.split("\n");
    return issue.keys.map((key, i) => ({ path: formatConfigPath([...path, key]), message: lines[i] ?? "" }));
  }
  return [{ path: formatConfigPath(path), message: issue.message }];
}

/**
 * The union branch whose issues all lie below the value itself: the value had that branch's type, so
 * its issues are the useful ones. None when every branch refused the value's type.
 */
function matchingBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  return branches.find((issues) => issues.every((i) => i.path.length > 0));
}

/** The message of one raw issue (the error map). */
function messageOf(issue: RawIssue): string {
  const input = issue.input;
  // A failed check (`.min(1)`) is reported with the check as `inst` and its schema as `schema`.
  const owner = (issue as { schema?: unknown }).schema ?? issue.inst;
  const hint = owner ? configHints.get(owner as z.ZodType) : undefined;
  switch (issue.code) {
    case "invalid_type": {
      const expected = isIntegerSchema(issue.inst) ? "int" : issue.expected;
      if (expected === "int" && typeof input === "number") return `must be an integer (got ${input})`;
      return typeMessage(input, hint?.expected ?? TYPE_NAMES[expected] ?? expected, hint?.fix);
    }
    case "unrecognized_keys":
      return unknownKeyMessages(issue).join("\n");
    case "invalid_value":
      return valueMessage(input, issue.values);
    case "invalid_union":
      if ("discriminator" in issue && typeof issue.discriminator === "string") {
        const value = (input as Record<string, unknown> | null | undefined)?.[issue.discriminator];
        return valueMessage(value, (issue.options ?? []) as unknown[]);
      }
      return typeMessage(input, hint?.expected ?? "a value of another form", hint?.fix);
    case "too_small":
      if (hint) return typeMessage(input, hint.expected, hint.fix);
      return sizeMessage(issue.origin, "least", issue.minimum, issue.inclusive, input);
    case "too_big":
      return sizeMessage(issue.origin, "most", issue.maximum, issue.inclusive, input);
    case "custom":
      return issue.message ?? `is not valid (got ${describeKind(input)})`;
    default:
      return `is not valid (got ${describeKind(input)})`;
  }
}

/** Whether a schema is an integer one (`z.int()`), whose type errors zod reports as "number". */
function isIntegerSchema(inst: unknown): boolean {
  const format = (inst as { _zod?: { def?: { format?: unknown } } } | undefined)?._zod?.def?.format;
  return typeof format === "string" && /int/.test(format);
}

function typeMessage(input: unknown, expected: string, fix?: (input: unknown) => string | undefined): string {
  if (input === undefined) return `is required: add it (${expected})`;
  const remedy = fix?.(input);
  const got = describeKind(input).replace(/ \(.*\)$/, "");
  return `must be ${expected} (got ${got}${remedy ? `; ${remedy}` : ""})`;
}

function valueMessage(input: unknown, values: readonly unknown[]): string {
  const list = values.map((v) => JSON.stringify(v));
  const choices = list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
  if (input === undefined) return `is required: add it (${choices})`;
  const near =
    typeof input === "string"
      ? nearestKey(
          input,
          values.filter((v) => typeof v === "string"),
        )
      : undefined;
  const suggestion = near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
  const got = typeof input === "string" ? JSON.stringify(input) : describeKind(input);
  return `must be ${choices} (got ${got})${suggestion}`;
}

function sizeMessage(
  origin: string,
  side: "least" | "most",
  limit: number | bigint,
  inclusive: boolean | undefined,
  input: unknown,
): string {
  if (origin === "array" || origin === "set") {
    return side === "least" && Number(limit) === 1
      ? "must not be empty: list at least one item"
      : `must list at ${side} ${limit} items (got ${Array.isArray(input) ? input.length : "?"})`;
  }
  if (origin === "string")
    return side === "least" ? "must not be empty" : `must be at most ${limit} characters`;
  const bound = inclusive === false ? (side === "least" ? "above" : "below") : `at ${side}`;
  return `must be ${bound} ${limit} (got ${describeKind(input).replace(/^a number \((.*)\)$/, "$1")})`;
}

function unknownKeyMessages(issue: RawIssue & { code: "unrecognized_keys" }): string[] {
  const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  const known = Object.keys(shape);
  return issue.keys.map((key) => {
    const near = nearestKey(key, known);
    const extra = KEY_HINTS[key];
    if (extra !== undefined) return `unknown key; ${extra}`;
    if (near !== undefined) return `unknown key; did you mean "${near}"?`;
    return `unknown key; known keys here: ${known.join(", ")}`;
  });
}

/** Keys people write from other tools' habits, with what to write instead. */
const KEY_HINTS: Readonly<Record<string, string>> = {
  queue: "write queueName: <the queue workers serve>",
  earlyStoppingStrategy: "write earlyStopping: { type: percentile, ... } at the top level of the file",
  idleCallback: "callbacks need the library API (new Scheduler({ options }))",
  globalStoppingStrategy: "write globalStopping: { type: improvement, ... } at the top level of the file",
  lower: "write bounds: [lower, upper]",
  upper: "write bounds: [lower, upper]",
  maximize: "write minimize: false",
};
