import { SearchSpaceError } from "../errors.js";
import { isNumericType, type ParameterType, type ParameterValue } from "./parameter-type.js";
import { assertNotReservedName } from "./reserved-names.js";

/** Parameter kinds, used in encodings and JSON. */
export const ParameterKind = { RANGE: "range", CHOICE: "choice", FIXED: "fixed" } as const;
export type ParameterKind = (typeof ParameterKind)[keyof typeof ParameterKind];

// Any visible name without spaces; text constraints ("x1 + x2 <= 1") can name identifier-like ones.
const NAME_PATTERN = /^[^\s"'`]+$/;

/** What every parameter can do: validate and cast a value. */
export abstract class Parameter {
  readonly name: string;
  readonly parameterType: ParameterType;
  abstract readonly kind: ParameterKind;

  protected constructor(name: string, parameterType: ParameterType) {
    if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
      throw new SearchSpaceError(
        `Invalid parameter name ${JSON.stringify(name)}: use a non-empty name without spaces or quotes.`,
        { parameter: String(name) },
      );
    }
    assertNotReservedName(name, "parameter");
    this.name = name;
    this.parameterType = parameterType;
  }

  /** Whether `value` is a legal value of this parameter (type and domain). */
  abstract validate(value: unknown): value is ParameterValue;

  /**
   * Converts a value of a compatible type to this parameter's type (e.g. `"3"` or `3.0` for an INT,
   * rounding to `digits`), without checking the domain.
   * @throws SearchSpaceError when the value cannot be converted.
   */
  cast(value: unknown): ParameterValue {
    return castToType(this.name, this.parameterType, value);
  }

  /** A one-line description of the domain, for error messages. */
  abstract describeDomain(): string;

  /** Whether the parameter has finitely many values. */
  abstract get isDiscrete(): boolean;
}

/** Converts `value` to `type`, or throws a SearchSpaceError naming the parameter. */
export function castToType(name: string, type: ParameterType, value: unknown): ParameterValue {
  const fail = (): never => {
    throw new SearchSpaceError(
      `Parameter "${name}" expects a value of type ${type}, got ${JSON.stringify(value)} (${typeof value}).`,
      { parameter: name },
    );
  };
  switch (type) {
    case "FLOAT": {
      const v = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof v === "number" && Number.isFinite(v) ? v : fail();
    }
    case "INT": {
      const v = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof v === "number" && Number.isFinite(v) ? Math.round(v) : fail();
    }
    case "BOOL":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === 1) return true;
      if (value === "false" || value === 0) return false;
      return fail();
    case "STRING":
      return typeof value === "string" ? value : typeof value === "number" ? String(value) : fail();
  }
}

/** Whether `value` already has the JavaScript type of `type` (no conversion). */
export function hasType(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case "FLOAT":
      return typeof value === "number" && Number.isFinite(value);
    case "INT":
      return typeof value === "number" && Number.isInteger(value);
    case "BOOL":
      return typeof value === "boolean";
    case "STRING":
      return typeof value === "string";
  }
}

export function requireNumericType(name: string, type: ParameterType, what: string): void {
  if (!isNumericType(type)) {
    throw new SearchSpaceError(`${what} "${name}" must have parameterType FLOAT or INT, got ${type}.`, {
      parameter: name,
    });
  }
}
