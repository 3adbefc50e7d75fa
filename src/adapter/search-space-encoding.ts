import { FixedParameter } from "../core/fixed-parameter.js";
import type { ParameterConstraint } from "../core/parameter-constraint.js";
import type { Parameterization, ParameterValue } from "../core/parameter-type.js";
import type { SearchSpace } from "../core/search-space.js";
import { SearchSpaceError } from "../errors.js";
import { codecFor, type EncodedColumn, type ParameterCodec } from "./parameter-codec.js";

export { ColumnKind, type EncodedColumn } from "./parameter-codec.js";

/** Where a searched parameter lives in the unit cube. */
export interface EncodedParameter {
  readonly name: string;
  /** First column of the parameter. */
  readonly start: number;
  /** Number of columns (1, or the number of values of an unordered choice). */
  readonly width: number;
  /** Position of the parameter's coordinate in a {@link SearchSpaceEncoding.decodeFromUniform} input. */
  readonly samplingIndex: number;
}

/** One parameter in definition order: its fixed value, or its codec and layout. */
interface Slot {
  readonly name: string;
  readonly fixed: ParameterValue | null;
  readonly codec: ParameterCodec | null;
  readonly start: number;
  readonly samplingIndex: number;
}

/**
 * A parameter constraint in unit-cube coordinates: `sum_j coefficients[j] * x[j] <= bound`.
 * For INT parameters it constrains the continuous relaxation; a point that satisfies it can still
 * violate the constraint after rounding, so decoded points must be checked against the search space.
 */
export interface UnitCubeConstraint {
  /** One coefficient per column (length `dimension`); zero for columns not involved. */
  readonly coefficients: Float64Array;
  readonly bound: number;
  /** The constraint in the parameters' own units. */
  readonly source: ParameterConstraint;
}

/**
 * Maps parameterizations of a search space to points of the unit cube [0, 1]^D and back: the common
 * coordinate system of quasi-random sampling and of model-based optimization.
 *
 * - FLOAT range: linear between the bounds, or in log10 space when `logScale`.
 * - INT range: relaxed to [lower − 0.5, upper + 0.5] (log10 of that when `logScale`), so that every
 *   integer gets a cell of equal width; decoding rounds.
 * - Ordered choice: value i of k ↔ cell [i/k, (i+1)/k), encoded at its center.
 * - Unordered choice: one-hot columns, decoded by argmax.
 * - Fixed: no columns; decoding fills the value in.
 *
 * Decoding always yields a valid value of every parameter (coordinates are clamped to [0, 1], INT values
 * rounded, FLOAT values rounded to `digits`); it does not enforce parameter constraints.
 *
 * @example
 * const enc = new SearchSpaceEncoding(searchSpace);
 * const x = enc.encode({ lr: 1e-3, layers: 4, opt: "adam" }); // Float64Array of length enc.dimension
 * enc.decode(x); // { lr: 0.001, layers: 4, opt: "adam" }
 */
export class SearchSpaceEncoding {
  readonly searchSpace: SearchSpace;
  /** Number of unit-cube columns, D. */
  readonly dimension: number;
  /** Number of uniform coordinates {@link decodeFromUniform} takes: one per searched parameter. */
  readonly samplingDimension: number;
  /** Metadata of each column, in column order. */
  readonly columns: readonly EncodedColumn[];
  /** Searched (non-fixed) parameters in definition order, with their columns. */
  readonly parameters: readonly EncodedParameter[];
  /** Fixed parameters and their values; they take no columns. */
  readonly fixedValues: Readonly<Record<string, ParameterValue>>;
  /** Parameter constraints that are linear in the unit cube (none of their parameters is log scale). */
  readonly linearConstraints: readonly UnitCubeConstraint[];
  /**
   * Parameter constraints over a log-scale parameter: not linear in the unit cube, so an optimizer has to
   * treat them separately (e.g. by checking decoded points).
   */
  readonly nonlinearConstraints: readonly ParameterConstraint[];
  private readonly codecs: readonly ParameterCodec[];
  /** Every parameter in definition order: a fixed value or a codec with its layout. */
  private readonly slots: readonly Slot[];
  private readonly byName: ReadonlyMap<string, EncodedParameter>;

  /** @throws SearchSpaceError for a parameter kind the encoding does not know. */
  constructor(searchSpace: SearchSpace) {
    this.searchSpace = searchSpace;
    const codecs: ParameterCodec[] = [];
    const params: EncodedParameter[] = [];
    const columns: EncodedColumn[] = [];
    const fixed: Record<string, ParameterValue> = {};
    const slots: Slot[] = [];
    for (const p of searchSpace.parameters.values()) {
      if (p instanceof FixedParameter) {
        fixed[p.name] = p.value;
        slots.push({ name: p.name, fixed: p.value, codec: null, start: 0, samplingIndex: 0 });
        continue;
      }
      const codec = codecFor(p);
      const layout = {
        name: p.name,
        start: columns.length,
        width: codec.width,
        samplingIndex: codecs.length,
      };
      params.push(layout);
      slots.push({
        name: p.name,
        fixed: null,
        codec,
        start: layout.start,
        samplingIndex: layout.samplingIndex,
      });
      columns.push(...codec.columns(columns.length));
      codecs.push(codec);
    }
    this.codecs = codecs;
    this.slots = slots;
    this.byName = new Map(params.map((q) => [q.name, q]));
    this.parameters = params;
    this.columns = columns;
    this.dimension = columns.length;
    this.samplingDimension = codecs.length;
    this.fixedValues = Object.freeze(fixed);
    const { linear, nonlinear } = this.translateConstraints(searchSpace.parameterConstraints);
    this.linearConstraints = linear;
    this.nonlinearConstraints = nonlinear;
  }

  /**
   * The unit-cube point of a parameterization (fixed and unknown parameters are ignored).
   * @returns Float64Array of length `dimension`.
   * @throws SearchSpaceError when a searched parameter is missing, a choice value is not among the
   * parameter's values, or a range value is not a finite (and, on log scale, positive) number.
   */
  encode(parameters: Parameterization): Float64Array {
    const out = new Float64Array(this.dimension);
    this.encodeInto(parameters, out, 0);
    return out;
  }

  /**
   * Encodes several parameterizations.
   * @returns Float64Array of shape n × D, row-major.
   * @throws SearchSpaceError as {@link encode}.
   */
  encodeMany(parameterizations: readonly Parameterization[]): Float64Array {
    const out = new Float64Array(parameterizations.length * this.dimension);
    parameterizations.forEach((p, i) => {
      this.encodeInto(p, out, i * this.dimension);
    });
    return out;
  }

  /**
   * The parameterization of a unit-cube point: every searched parameter decoded, fixed ones filled in.
   * Coordinates outside [0, 1] are clamped.
   * @param x length `dimension`.
   * @throws RangeError when `x` has the wrong length or a non-finite coordinate.
   */
  decode(x: ArrayLike<number>): Record<string, ParameterValue> {
    this.checkLength(x.length, this.dimension, "decode");
    return this.decodeAt(x, 0);
  }

  /**
   * Decodes n points.
   * @param X n × D, row-major.
   * @param n number of points; needed only when D = 0 (a search space of fixed parameters).
   * @throws RangeError when `X.length` is not a multiple of D (or not n × D).
   */
  decodeMany(X: ArrayLike<number>, n?: number): Record<string, ParameterValue>[] {
    const rows = this.rowCount(X.length, this.dimension, n, "decodeMany");
    const out: Record<string, ParameterValue>[] = [];
    for (let i = 0; i < rows; i++) out.push(this.decodeAt(X, i * this.dimension));
    return out;
  }

  /**
   * The parameterization of a uniform sample: one coordinate per searched parameter
   * (`samplingDimension`), so that each value of an unordered choice is equally likely (an argmax of
   * random one-hot columns would not be uniform over the values of a point of a low-discrepancy set).
   * Random and Sobol generators sample through this.
   * @param u length `samplingDimension`, values in [0, 1].
   * @throws RangeError when `u` has the wrong length or a non-finite coordinate.
   */
  decodeFromUniform(u: ArrayLike<number>): Record<string, ParameterValue> {
    this.checkLength(u.length, this.samplingDimension, "decodeFromUniform");
    return this.decodeUniformAt(u, 0);
  }

  /**
   * Decodes n uniform samples.
   * @param U n × samplingDimension, row-major.
   * @param n number of samples; needed only when samplingDimension = 0.
   */
  decodeManyFromUniform(U: ArrayLike<number>, n?: number): Record<string, ParameterValue>[] {
    const s = this.samplingDimension;
    const rows = this.rowCount(U.length, s, n, "decodeManyFromUniform");
    const out: Record<string, ParameterValue>[] = [];
    for (let i = 0; i < rows; i++) out.push(this.decodeUniformAt(U, i * s));
    return out;
  }

  /**
   * Whether a unit-cube point satisfies every linear constraint, up to `tolerance`. Nonlinear
   * constraints (over log-scale parameters) are not checked here.
   */
  satisfiesLinearConstraints(x: ArrayLike<number>, tolerance = 1e-9): boolean {
    for (const c of this.linearConstraints) {
      let lhs = 0;
      for (let j = 0; j < this.dimension; j++) lhs += c.coefficients[j]! * (x[j] ?? 0);
      if (lhs > c.bound + tolerance * Math.max(1, Math.abs(c.bound))) return false;
    }
    return true;
  }

  /** The columns of parameter `name`. @throws SearchSpaceError for a fixed or unknown parameter. */
  parameterColumns(name: string): EncodedParameter {
    const p = this.byName.get(name);
    if (!p) {
      throw new SearchSpaceError(
        `Parameter "${name}" has no unit-cube columns: it is ${
          name in this.fixedValues ? "fixed" : "not in the search space"
        }.`,
        { parameter: name },
      );
    }
    return p;
  }

  private encodeInto(parameters: Parameterization, out: Float64Array, offset: number): void {
    this.parameters.forEach((p, k) => {
      const value = parameters[p.name];
      if (value === undefined) {
        throw new SearchSpaceError(`Cannot encode: parameter "${p.name}" is missing a value.`, {
          parameter: p.name,
        });
      }
      this.codecs[k]!.encode(value, out, offset + p.start);
    });
  }

  private decodeAt(x: ArrayLike<number>, offset: number): Record<string, ParameterValue> {
    // Definition order keeps decoded objects' key order stable and readable.
    const out: Record<string, ParameterValue> = {};
    for (const s of this.slots) out[s.name] = s.codec ? s.codec.decode(x, offset + s.start) : s.fixed!;
    return out;
  }

  private decodeUniformAt(u: ArrayLike<number>, offset: number): Record<string, ParameterValue> {
    const out: Record<string, ParameterValue> = {};
    for (const s of this.slots) {
      out[s.name] = s.codec ? s.codec.decodeUniform(u[offset + s.samplingIndex] ?? Number.NaN) : s.fixed!;
    }
    return out;
  }

  private translateConstraints(constraints: readonly ParameterConstraint[]): {
    linear: UnitCubeConstraint[];
    nonlinear: ParameterConstraint[];
  } {
    const linear: UnitCubeConstraint[] = [];
    const nonlinear: ParameterConstraint[] = [];
    for (const c of constraints) {
      const coefficients = new Float64Array(this.dimension);
      let bound = c.bound;
      let isLinear = true;
      for (const [name, w] of Object.entries(c.constraintDict)) {
        const p = this.byName.get(name);
        const affine = p ? this.codecs[p.samplingIndex]!.affine : null;
        if (!p || !affine) {
          isLinear = false;
          break;
        }
        // w * (offset + scale * x) <= ... moves the constant to the right-hand side.
        coefficients[p.start] = (coefficients[p.start] ?? 0) + w * affine.scale;
        bound -= w * affine.offset;
      }
      if (isLinear) linear.push({ coefficients, bound, source: c });
      else nonlinear.push(c);
    }
    return { linear, nonlinear };
  }

  private checkLength(actual: number, expected: number, method: string): void {
    if (actual !== expected) {
      throw new RangeError(`SearchSpaceEncoding.${method}: expected ${expected} coordinates, got ${actual}.`);
    }
  }

  private rowCount(length: number, width: number, n: number | undefined, method: string): number {
    if (width === 0) {
      if (n === undefined || !Number.isInteger(n) || n < 0) {
        throw new RangeError(
          `SearchSpaceEncoding.${method}: every parameter is fixed (no columns), so pass the number of points n.`,
        );
      }
      return n;
    }
    if (length % width !== 0 || (n !== undefined && n * width !== length)) {
      throw new RangeError(
        `SearchSpaceEncoding.${method}: ${length} values are not ${n ?? "n"} rows of ${width} columns.`,
      );
    }
    return length / width;
  }
}
