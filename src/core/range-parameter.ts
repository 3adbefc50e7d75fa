import { SearchSpaceError } from "../errors.js";
import { hasType, Parameter, ParameterKind, requireNumericType } from "./parameter.js";
import { ParameterType, type ParameterValue } from "./parameter-type.js";

/** Constructor options of {@link RangeParameter}, Ax's keyword arguments in camelCase. */
export interface RangeParameterOptions {
  name: string;
  /** FLOAT or INT. */
  parameterType: ParameterType;
  lower: number;
  upper: number;
  /** Search in log space (requires lower > 0). */
  logScale?: boolean;
  /** Round FLOAT values to this many decimal digits. */
  digits?: number | null;
}

/**
 * A numeric parameter on the interval [lower, upper], FLOAT or INT, optionally searched in log space.
 * @throws SearchSpaceError when lower >= upper, a bound or the width upper − lower is not finite, log
 * scale has lower <= 0, or an INT parameter has non-integer bounds or bounds beyond ±(2^53 − 1).
 * @example new RangeParameter({ name: "lr", parameterType: ParameterType.FLOAT, lower: 1e-5, upper: 1e-1, logScale: true })
 */
export class RangeParameter extends Parameter {
  readonly kind = ParameterKind.RANGE;
  readonly lower: number;
  readonly upper: number;
  readonly logScale: boolean;
  readonly digits: number | null;

  constructor(options: RangeParameterOptions) {
    super(options.name, options.parameterType);
    const { name, lower, upper } = options;
    requireNumericType(name, options.parameterType, "Range parameter");
    if (
      typeof lower !== "number" ||
      typeof upper !== "number" ||
      !Number.isFinite(lower) ||
      !Number.isFinite(upper)
    ) {
      throw new SearchSpaceError(
        `Range parameter "${name}" needs finite numeric bounds, got lower=${lower}, upper=${upper}.`,
        { parameter: name },
      );
    }
    if (lower >= upper) {
      throw new SearchSpaceError(
        `Range parameter "${name}": lower (${lower}) must be strictly less than upper (${upper}). ` +
          "Use a FixedParameter for a single value.",
        { parameter: name },
      );
    }
    if (!Number.isFinite(upper - lower)) {
      // The unit-cube encoding divides by the width: an infinite one turns every arm into NaN.
      throw new SearchSpaceError(
        `Range parameter "${name}": the width of [${lower}, ${upper}] is not a finite number; ` +
          "narrow the bounds (or search a rescaled or log-scale value).",
        { parameter: name },
      );
    }
    if (
      options.parameterType === ParameterType.INT &&
      (Math.abs(lower) > Number.MAX_SAFE_INTEGER || Math.abs(upper) > Number.MAX_SAFE_INTEGER)
    ) {
      // Beyond 2^53 neighbouring integers are not representable: arms would round to other values.
      throw new SearchSpaceError(
        `Range parameter "${name}" is INT with bounds [${lower}, ${upper}] beyond ±${Number.MAX_SAFE_INTEGER} ` +
          "(2^53 − 1), where integers are not exactly representable; use smaller bounds or a FLOAT parameter.",
        { parameter: name },
      );
    }
    if (
      options.parameterType === ParameterType.INT &&
      (!Number.isInteger(lower) || !Number.isInteger(upper))
    ) {
      throw new SearchSpaceError(
        `Range parameter "${name}" is INT but its bounds [${lower}, ${upper}] are not integers.`,
        { parameter: name },
      );
    }
    if (options.logScale && lower <= 0) {
      throw new SearchSpaceError(
        `Range parameter "${name}" has logScale but lower = ${lower}; log scale needs lower > 0. ` +
          "Shift the parameter or turn off logScale.",
        { parameter: name },
      );
    }
    const digits = options.digits ?? null;
    if (digits !== null && (!Number.isInteger(digits) || digits < 0)) {
      throw new SearchSpaceError(
        `Range parameter "${name}": digits must be a non-negative integer, got ${digits}.`,
        {
          parameter: name,
        },
      );
    }
    this.lower = lower;
    this.upper = upper;
    this.logScale = options.logScale ?? false;
    this.digits = digits;
  }

  get isDiscrete(): boolean {
    return this.parameterType === ParameterType.INT;
  }

  /** Number of integer values for INT parameters; Infinity for FLOAT. */
  get cardinality(): number {
    return this.parameterType === ParameterType.INT ? this.upper - this.lower + 1 : Number.POSITIVE_INFINITY;
  }

  validate(value: unknown): value is ParameterValue {
    if (!hasType(this.parameterType, value)) return false;
    const v = value as number;
    // A tolerance of a few ulps keeps values that went through log/exp round trips legal.
    const tol = 1e-12 * Math.max(1, Math.abs(this.upper), Math.abs(this.lower));
    return v >= this.lower - tol && v <= this.upper + tol;
  }

  override cast(value: unknown): ParameterValue {
    const v = super.cast(value) as number;
    if (this.parameterType === ParameterType.FLOAT && this.digits !== null) {
      const f = 10 ** this.digits;
      return Math.round(v * f) / f;
    }
    return v;
  }

  /** Clamps a number into [lower, upper] and casts it (rounding for INT / digits). */
  clampAndCast(value: number): number {
    const clamped = Math.min(this.upper, Math.max(this.lower, value));
    const cast = this.cast(clamped) as number;
    return Math.min(this.upper, Math.max(this.lower, cast));
  }

  describeDomain(): string {
    return `${this.parameterType} in [${this.lower}, ${this.upper}]${this.logScale ? " (log scale)" : ""}`;
  }
}
