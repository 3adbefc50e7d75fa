import { ChoiceParameter } from "../core/choice-parameter.js";
import type { Parameter } from "../core/parameter.js";
import type { ParameterValue } from "../core/parameter-type.js";
import { ParameterType } from "../core/parameter-type.js";
import { RangeParameter } from "../core/range-parameter.js";
import { SearchSpaceError } from "../errors.js";

/**
 * How a unit-cube column represents its parameter. Both `ColumnKind.ONE_HOT` and `"one-hot"` work.
 * - `float`: a FLOAT range parameter, linear (or log10 when `logScale`) between its bounds.
 * - `int`: an INT range parameter relaxed to [lower − 0.5, upper + 0.5], so each integer owns a cell of
 *   equal width (equal log-width when `logScale`); decoding rounds.
 * - `ordered`: an ordered choice; value i of k owns the cell [i/k, (i+1)/k) and encodes to its center.
 * - `one-hot`: one column per value of an unordered choice; decoding takes the argmax.
 */
export const ColumnKind = { FLOAT: "float", INT: "int", ORDERED: "ordered", ONE_HOT: "one-hot" } as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** Metadata of one unit-cube column. */
export interface EncodedColumn {
  /** Position of the column, 0 ≤ index < dimension. */
  readonly index: number;
  /** Name of the parameter the column belongs to. */
  readonly parameter: string;
  readonly kind: ColumnKind;
  /** Whether the column is in log10 space of the parameter (range parameters with `logScale`). */
  readonly logScale: boolean;
  /** The value this column indicates, for one-hot columns; null otherwise. */
  readonly category: ParameterValue | null;
  /** Number of equal-width cells the column is split into (int and ordered columns); null otherwise. */
  readonly numLevels: number | null;
}

/**
 * Encoding of one searched parameter; the column layout is owned by {@link SearchSpaceEncoding}.
 * @internal
 */
export interface ParameterCodec {
  readonly name: string;
  /** Number of unit-cube columns. */
  readonly width: number;
  columns(start: number): EncodedColumn[];
  /** Writes the encoding of `value` into `out[offset .. offset + width)`. */
  encode(value: unknown, out: Float64Array, offset: number): void;
  /** Reads `x[offset .. offset + width)` (any reals) back to a valid value. */
  decode(x: ArrayLike<number>, offset: number): ParameterValue;
  /** Maps one uniform coordinate in [0, 1] to a value, each value of a choice equally likely. */
  decodeUniform(u: number): ParameterValue;
  /**
   * Unit-cube image of the parameter as `value = offset + scale * x` on the relaxed (continuous)
   * domain, or null when it is not affine (log scale, choices).
   */
  readonly affine: { offset: number; scale: number } | null;
}

/** Clamps into [0, 1]; -0 becomes 0 so that decoded values compare and serialize cleanly. */
function clamp01(x: number): number {
  return x <= 0 ? 0 : Math.min(x, 1);
}

function requireFinite(x: number, name: string): number {
  if (!Number.isFinite(x)) {
    throw new RangeError(`Cannot decode a non-finite unit-cube coordinate (${x}) for parameter "${name}".`);
  }
  return x;
}

/** FLOAT and INT range parameters, linear or log10. */
class RangeCodec implements ParameterCodec {
  readonly width = 1;
  readonly name: string;
  readonly affine: { offset: number; scale: number } | null;
  private readonly isInt: boolean;
  /** Bounds of the column in transformed (log10 or linear) units. */
  private readonly a: number;
  private readonly b: number;

  constructor(private readonly parameter: RangeParameter) {
    this.name = parameter.name;
    this.isInt = parameter.parameterType === ParameterType.INT;
    // Relaxing INT bounds by half a unit gives the extreme integers full-width cells too.
    const lo = this.isInt ? parameter.lower - 0.5 : parameter.lower;
    const hi = this.isInt ? parameter.upper + 0.5 : parameter.upper;
    this.a = parameter.logScale ? Math.log10(lo) : lo;
    this.b = parameter.logScale ? Math.log10(hi) : hi;
    this.affine = parameter.logScale ? null : { offset: lo, scale: hi - lo };
  }

  columns(start: number): EncodedColumn[] {
    const p = this.parameter;
    return [
      {
        index: start,
        parameter: this.name,
        kind: this.isInt ? ColumnKind.INT : ColumnKind.FLOAT,
        logScale: p.logScale,
        category: null,
        numLevels: this.isInt ? p.upper - p.lower + 1 : null,
      },
    ];
  }

  encode(value: unknown, out: Float64Array, offset: number): void {
    if (typeof value !== "number" || !Number.isFinite(value) || (this.parameter.logScale && value <= 0)) {
      throw new SearchSpaceError(
        `Cannot encode ${JSON.stringify(value)} for parameter "${this.name}": expected a ${
          this.parameter.logScale ? "positive " : ""
        }finite number.`,
        { parameter: this.name },
      );
    }
    const t = this.parameter.logScale ? Math.log10(value) : value;
    out[offset] = (t - this.a) / (this.b - this.a);
  }

  decode(x: ArrayLike<number>, offset: number): ParameterValue {
    const t = this.a + clamp01(requireFinite(x[offset] ?? Number.NaN, this.name)) * (this.b - this.a);
    const v = this.parameter.clampAndCast(this.parameter.logScale ? 10 ** t : t);
    return v + 0;
  }

  decodeUniform(u: number): ParameterValue {
    return this.decode([u], 0);
  }
}

/** Ordered choices: one column, value i of k at the center of cell i. */
class OrderedCodec implements ParameterCodec {
  readonly width = 1;
  readonly name: string;
  readonly affine = null;

  constructor(private readonly parameter: ChoiceParameter) {
    this.name = parameter.name;
  }

  columns(start: number): EncodedColumn[] {
    const k = this.parameter.values.length;
    return [
      {
        index: start,
        parameter: this.name,
        kind: ColumnKind.ORDERED,
        logScale: false,
        category: null,
        numLevels: k,
      },
    ];
  }

  encode(value: unknown, out: Float64Array, offset: number): void {
    const i = choiceIndex(this.parameter, value);
    out[offset] = (i + 0.5) / this.parameter.values.length;
  }

  decode(x: ArrayLike<number>, offset: number): ParameterValue {
    const u = clamp01(requireFinite(x[offset] ?? Number.NaN, this.name));
    return pick(this.parameter.values, u);
  }

  decodeUniform(u: number): ParameterValue {
    return this.decode([u], 0);
  }
}

/** Unordered choices: one column per value; decoding takes the argmax (first on ties). */
class OneHotCodec implements ParameterCodec {
  readonly width: number;
  readonly name: string;
  readonly affine = null;

  constructor(private readonly parameter: ChoiceParameter) {
    this.name = parameter.name;
    this.width = parameter.values.length;
  }

  columns(start: number): EncodedColumn[] {
    return this.parameter.values.map((v, k) => ({
      index: start + k,
      parameter: this.name,
      kind: ColumnKind.ONE_HOT,
      logScale: false,
      category: v,
      numLevels: null,
    }));
  }

  encode(value: unknown, out: Float64Array, offset: number): void {
    const i = choiceIndex(this.parameter, value);
    for (let k = 0; k < this.width; k++) out[offset + k] = k === i ? 1 : 0;
  }

  decode(x: ArrayLike<number>, offset: number): ParameterValue {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < this.width; k++) {
      const v = requireFinite(x[offset + k] ?? Number.NaN, this.name);
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    return this.parameter.values[best]!;
  }

  decodeUniform(u: number): ParameterValue {
    return pick(this.parameter.values, clamp01(requireFinite(u, this.name)));
  }
}

/** The value whose equal-width cell of [0, 1] contains `u` (u = 1 falls in the last cell). */
function pick(values: readonly ParameterValue[], u: number): ParameterValue {
  const k = values.length;
  return values[Math.min(k - 1, Math.floor(u * k))]!;
}

function choiceIndex(parameter: ChoiceParameter, value: unknown): number {
  const i = parameter.indexOf(value as ParameterValue);
  if (i < 0) {
    throw new SearchSpaceError(
      `Cannot encode ${JSON.stringify(value)} for parameter "${parameter.name}": it is not ${parameter.describeDomain()}.`,
      { parameter: parameter.name },
    );
  }
  return i;
}

/**
 * The codec of a searched (range or choice) parameter; fixed parameters take no columns and have none.
 * @throws SearchSpaceError for any other kind of parameter.
 * @internal
 */
export function codecFor(parameter: Parameter): ParameterCodec {
  if (parameter instanceof RangeParameter) return new RangeCodec(parameter);
  if (parameter instanceof ChoiceParameter) {
    return parameter.isOrdered ? new OrderedCodec(parameter) : new OneHotCodec(parameter);
  }
  throw new SearchSpaceError(
    `Parameter "${parameter.name}" is of an unsupported kind (${parameter.kind}); the unit-cube encoding knows range, choice and fixed parameters.`,
    { parameter: parameter.name },
  );
}
