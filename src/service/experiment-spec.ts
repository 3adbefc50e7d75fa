import { ChoiceParameter } from "../core/choice-parameter.js";
import { FixedParameter } from "../core/fixed-parameter.js";
import { describeValue as describe } from "../core/json.js";
import type { Parameter } from "../core/parameter.js";
import { parseParameterConstraint } from "../core/parameter-constraint.js";
import { ParameterType, type ParameterValue } from "../core/parameter-type.js";
import { RangeParameter } from "../core/range-parameter.js";
import { SearchSpace } from "../core/search-space.js";
import { SearchSpaceError } from "../errors.js";

/** Value types a parameter spec can name (Ax's `value_type`). */
export type ValueType = "float" | "int" | "string" | "bool";

/**
 * A numeric parameter on `[lo, hi]`.
 *
 * `valueType` defaults to `"float"`, even when both bounds are integers: Ax infers `int` from Python's
 * `int` bounds, but in JavaScript `0` and `15` are just numbers, so integer parameters must say
 * `valueType: "int"`.
 * @example { name: "lr", type: "range", bounds: [1e-5, 1e-1], logScale: true }
 * @example { name: "threads", type: "range", bounds: [1, 64], valueType: "int", logScale: true }
 */
export interface RangeParameterSpec {
  name: string;
  type: "range";
  bounds: readonly [number, number];
  valueType?: "float" | "int";
  /** Search in log space (needs lo > 0). */
  logScale?: boolean;
  /** Round float values to this many decimal digits. */
  digits?: number;
}

/**
 * A parameter taking one of a list of values.
 * @example { name: "codec", type: "choice", values: ["gzip", "zstd"], isOrdered: false }
 */
export interface ChoiceParameterSpec {
  name: string;
  type: "choice";
  values: readonly ParameterValue[];
  /** Whether the values have an order; default true for numbers, false otherwise. */
  isOrdered?: boolean;
  /** Defaults to the type of the values. */
  valueType?: ValueType;
}

/**
 * A parameter held at one value.
 * @example { name: "optimizer", type: "fixed", value: "adam" }
 */
export interface FixedParameterSpec {
  name: string;
  type: "fixed";
  value: ParameterValue;
  /** Defaults to the type of the value. */
  valueType?: ValueType;
}

/** A parameter as the Client takes it: a plain object, as in Ax's `create_experiment`. */
export type ParameterSpec = RangeParameterSpec | ChoiceParameterSpec | FixedParameterSpec;

const VALUE_TYPES: Readonly<Record<ValueType, ParameterType>> = {
  float: ParameterType.FLOAT,
  int: ParameterType.INT,
  string: ParameterType.STRING,
  bool: ParameterType.BOOL,
};

const KEYS: Readonly<Record<ParameterSpec["type"], readonly string[]>> = {
  range: ["name", "type", "bounds", "valueType", "logScale", "digits"],
  choice: ["name", "type", "values", "isOrdered", "valueType"],
  fixed: ["name", "type", "value", "valueType"],
};

/** Hints for keys that Ax users (snake_case) or other libraries commonly write. */
const KEY_HINTS: Readonly<Record<string, string>> = {
  value_type: 'write valueType: "float" | "int" | "string" | "bool"',
  log_scale: "write logScale: true",
  is_ordered: "write isOrdered: true | false",
  is_task: "task parameters are not supported",
  lower: "write bounds: [lower, upper]",
  upper: "write bounds: [lower, upper]",
  parameterType: 'write valueType: "float" | "int" | "string" | "bool"',
  parameter_type: 'write valueType: "float" | "int" | "string" | "bool"',
  sort_values: "sortValues is not supported in specs; values keep their order unless isOrdered numbers",
};

/**
 * Builds a core parameter from a plain spec, checking it as a user (or a JSON file) wrote it.
 * @param position index of the spec in the `parameters` list, for messages.
 * @throws SearchSpaceError naming the parameter and saying what to write instead.
 * @example parameterFromSpec({ name: "x1", type: "range", bounds: [-5, 10] }) // a FLOAT RangeParameter
 */
export function parameterFromSpec(spec: ParameterSpec, position = 0): Parameter {
  const raw: unknown = spec;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SearchSpaceError(
      `parameters[${position}] must be an object such as { name: "x", type: "range", bounds: [0, 1] }, got ${describe(raw)}.`,
    );
  }
  const record = raw as Record<string, unknown>;
  const name = record.name;
  if (typeof name !== "string" || name === "") {
    throw new SearchSpaceError(
      `parameters[${position}] has no name: add name: "<parameter name>" (got ${describe(name)}).`,
    );
  }
  const type = record.type;
  if (type !== "range" && type !== "choice" && type !== "fixed") {
    throw new SearchSpaceError(
      `Parameter "${name}": type must be "range", "choice" or "fixed", got ${describe(type)}.`,
      { parameter: name },
    );
  }
  checkKeys(name, type, record);
  if (type === "range") return rangeFromSpec(name, record);
  if (type === "choice") return choiceFromSpec(name, record);
  return fixedFromSpec(name, record);
}

/**
 * Builds the search space of parameter specs and text parameter constraints (`"x1 + x2 <= 10"`,
 * `"x1 <= x2"`).
 * @throws SearchSpaceError for a bad spec or duplicate names; ParameterConstraintError for a constraint
 * that cannot be parsed or names an unknown or non-range parameter.
 */
export function searchSpaceFromSpecs(
  parameters: readonly ParameterSpec[],
  parameterConstraints: readonly string[] = [],
): SearchSpace {
  if (!Array.isArray(parameters) || parameters.length === 0) {
    throw new SearchSpaceError(
      'createExperiment needs at least one parameter, e.g. parameters: [{ name: "x", type: "range", bounds: [0, 1] }].',
    );
  }
  const params = parameters.map((spec, i) => parameterFromSpec(spec, i));
  if (!Array.isArray(parameterConstraints)) {
    throw new SearchSpaceError(
      'parameterConstraints must be a list of strings such as ["x1 + x2 <= 10", "x1 <= x2"].',
    );
  }
  const constraints = parameterConstraints.map((text) => {
    if (typeof text !== "string") {
      throw new SearchSpaceError(
        `Parameter constraints are strings such as "x1 + x2 <= 10", got ${describe(text)}.`,
      );
    }
    return parseParameterConstraint(text);
  });
  return new SearchSpace({ parameters: params, parameterConstraints: constraints });
}

function rangeFromSpec(name: string, spec: Record<string, unknown>): RangeParameter {
  const bounds = spec.bounds;
  if (
    !Array.isArray(bounds) ||
    bounds.length !== 2 ||
    !bounds.every((b) => typeof b === "number" && Number.isFinite(b))
  ) {
    throw new SearchSpaceError(
      `Range parameter "${name}": bounds must be two finite numbers [lower, upper], got ${describe(bounds)}.`,
      { parameter: name },
    );
  }
  const valueType = spec.valueType ?? "float";
  if (valueType !== "float" && valueType !== "int") {
    throw new SearchSpaceError(
      `Range parameter "${name}": valueType must be "float" or "int", got ${describe(valueType)}; ` +
        'use type: "choice" for strings or booleans.',
      { parameter: name },
    );
  }
  const logScale = optionalBoolean(name, "logScale", spec.logScale);
  const digits = spec.digits;
  if (digits !== undefined && valueType === "int") {
    throw new SearchSpaceError(`Range parameter "${name}" is an int; digits applies to floats only.`, {
      parameter: name,
    });
  }
  if (digits !== undefined && typeof digits !== "number") {
    throw new SearchSpaceError(
      `Range parameter "${name}": digits must be a number, got ${describe(digits)}.`,
      { parameter: name },
    );
  }
  return new RangeParameter({
    name,
    parameterType: VALUE_TYPES[valueType],
    lower: bounds[0] as number,
    upper: bounds[1] as number,
    ...(logScale === undefined ? {} : { logScale }),
    ...(digits === undefined ? {} : { digits }),
  });
}

function choiceFromSpec(name: string, spec: Record<string, unknown>): ChoiceParameter {
  const values = spec.values;
  if (!Array.isArray(values) || !values.every(isParameterValue)) {
    throw new SearchSpaceError(
      `Choice parameter "${name}": values must be a list of strings, numbers or booleans, got ${describe(values)}.`,
      { parameter: name },
    );
  }
  const isOrdered = optionalBoolean(name, "isOrdered", spec.isOrdered);
  const parameterType = optionalValueType(name, spec.valueType);
  return new ChoiceParameter({
    name,
    values,
    ...(isOrdered === undefined ? {} : { isOrdered }),
    ...(parameterType === undefined ? {} : { parameterType }),
  });
}

function fixedFromSpec(name: string, spec: Record<string, unknown>): FixedParameter {
  const value = spec.value;
  if (!isParameterValue(value)) {
    throw new SearchSpaceError(
      `Fixed parameter "${name}": value must be a string, number or boolean, got ${describe(value)}.`,
      { parameter: name },
    );
  }
  const parameterType = optionalValueType(name, spec.valueType);
  return new FixedParameter({ name, value, ...(parameterType === undefined ? {} : { parameterType }) });
}

function checkKeys(name: string, type: ParameterSpec["type"], spec: Record<string, unknown>): void {
  const allowed = KEYS[type];
  for (const key of Object.keys(spec)) {
    if (allowed.includes(key) || spec[key] === undefined) continue;
    const owner = (Object.keys(KEYS) as ParameterSpec["type"][]).find((t) => KEYS[t].includes(key));
    const hint =
      KEY_HINTS[key] ??
      (owner ? `"${key}" belongs to type "${owner}" parameters` : `allowed keys: ${allowed.join(", ")}`);
    throw new SearchSpaceError(`Parameter "${name}" (type "${type}") has unknown key "${key}": ${hint}.`, {
      parameter: name,
    });
  }
}

function optionalBoolean(name: string, key: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new SearchSpaceError(`Parameter "${name}": ${key} must be true or false, got ${describe(value)}.`, {
    parameter: name,
  });
}

function optionalValueType(name: string, value: unknown): ParameterType | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && Object.hasOwn(VALUE_TYPES, value)) return VALUE_TYPES[value as ValueType];
  const hint = value === "str" ? ' (write "string")' : "";
  throw new SearchSpaceError(
    `Parameter "${name}": valueType must be "float", "int", "string" or "bool", got ${describe(value)}${hint}.`,
    { parameter: name },
  );
}

function isParameterValue(value: unknown): value is ParameterValue {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}
