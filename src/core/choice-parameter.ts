import { SearchSpaceError } from "../errors.js";
import { hasType, Parameter, ParameterKind } from "./parameter.js";
import {
  inferParameterType,
  isNumericType,
  type ParameterType,
  type ParameterValue,
} from "./parameter-type.js";

/** Constructor options of {@link ChoiceParameter}. */
export interface ChoiceParameterOptions {
  name: string;
  /** Defaults to the type of the first value. */
  parameterType?: ParameterType;
  values: readonly ParameterValue[];
  /** Whether the values have a meaningful order (default: true for numbers, false otherwise). */
  isOrdered?: boolean;
  /** Sort numeric values ascending (default: true when ordered and numeric). */
  sortValues?: boolean;
}

/**
 * A parameter taking one of a finite list of values (strings, numbers or booleans), ordered or not.
 * @throws SearchSpaceError for fewer than two values, duplicates, or values of mixed types.
 */
export class ChoiceParameter extends Parameter {
  readonly kind = ParameterKind.CHOICE;
  readonly values: readonly ParameterValue[];
  readonly isOrdered: boolean;
  private readonly index: Map<ParameterValue, number>;

  constructor(options: ChoiceParameterOptions) {
    const values = options.values;
    if (!Array.isArray(values) || values.length === 0) {
      throw new SearchSpaceError(`Choice parameter "${options.name}" needs a non-empty list of values.`, {
        parameter: options.name,
      });
    }
    const type = options.parameterType ?? inferChoiceType(values);
    super(options.name, type);
    if (values.length < 2) {
      throw new SearchSpaceError(
        `Choice parameter "${options.name}" has a single value; use a FixedParameter instead.`,
        { parameter: options.name },
      );
    }
    for (const v of values) {
      if (!hasType(type, v)) {
        throw new SearchSpaceError(
          `Choice parameter "${options.name}" is ${type} but value ${JSON.stringify(v)} is not; all values must share one type.`,
          { parameter: options.name },
        );
      }
    }
    if (new Set(values).size !== values.length) {
      throw new SearchSpaceError(`Choice parameter "${options.name}" has duplicate values.`, {
        parameter: options.name,
      });
    }
    this.isOrdered = options.isOrdered ?? isNumericType(type);
    const sort = options.sortValues ?? (this.isOrdered && isNumericType(type));
    this.values = sort ? [...values].sort(compareValues) : [...values];
    this.index = new Map(this.values.map((v, i) => [v, i]));
  }

  get isDiscrete(): boolean {
    return true;
  }

  get cardinality(): number {
    return this.values.length;
  }

  /** Position of `value` in `values`, or -1. */
  indexOf(value: ParameterValue): number {
    return this.index.get(value) ?? -1;
  }

  validate(value: unknown): value is ParameterValue {
    return this.index.has(value as ParameterValue);
  }

  describeDomain(): string {
    return `one of ${JSON.stringify(this.values)}${this.isOrdered ? " (ordered)" : ""}`;
  }
}

function inferChoiceType(values: readonly ParameterValue[]): ParameterType {
  const types = new Set(values.map(inferParameterType));
  // Integers mixed with floats are floats.
  if (types.size === 2 && types.has("INT") && types.has("FLOAT")) return "FLOAT";
  return inferParameterType(values[0]!);
}

/** Ascending order for numbers, code-unit order for strings, false before true. */
function compareValues(a: ParameterValue, b: ParameterValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
