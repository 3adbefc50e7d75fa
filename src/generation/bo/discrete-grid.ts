import { ColumnKind, type SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { ChoiceParameter } from "../../core/choice-parameter.js";
import type { ParameterValue } from "../../core/parameter-type.js";
import { RangeParameter } from "../../core/range-parameter.js";

/** One discrete (INT, ordered or unordered choice) parameter of the unit-cube encoding. */
export interface DiscreteParameter {
  readonly name: string;
  /** First unit-cube column and number of columns (the number of values of an unordered choice). */
  readonly start: number;
  readonly width: number;
  /** Whether neighbours are the adjacent levels (INT, ordered choice) or every other level (one-hot). */
  readonly ordered: boolean;
  readonly cardinality: number;
  /** The parameter value of level i. */
  value(i: number): ParameterValue;
  /** The level of a decoded value. */
  level(value: ParameterValue): number;
}

/**
 * The discrete part of a {@link SearchSpaceEncoding}: which columns are discrete, how to snap a unit-cube
 * point onto the grid of values, how to change one parameter's level, and how to walk all combinations.
 *
 * Every written coordinate comes from the encoding's own `encode` (levels are encoded, never computed
 * here), so a grid point decodes to exactly the arm that will be proposed: INT columns (log scale or
 * not) hold the center of their integer's cell, ordered choices the center of their value's cell,
 * one-hot blocks a single 1.
 */
export class DiscreteGrid {
  readonly encoding: SearchSpaceEncoding;
  /** Discrete parameters in encoding order. */
  readonly parameters: readonly DiscreteParameter[];
  /** Columns of FLOAT parameters, in column order. */
  readonly continuousColumns: readonly number[];
  /** Product of the discrete parameters' cardinalities (1 when there is none; may be Infinity). */
  readonly cardinality: number;
  /** A decoded point whose values are overwritten to encode one level at a time. */
  private readonly scratch: Record<string, ParameterValue>;
  /** Encoded columns of each parameter's levels, filled lazily (INT ranges can be huge). */
  private readonly levelCache: Map<number, Float64Array>[];

  constructor(encoding: SearchSpaceEncoding) {
    this.encoding = encoding;
    this.parameters = encoding.parameters.flatMap((p) => {
      const d = discreteParameter(encoding, p.name, p.start, p.width);
      return d ? [d] : [];
    });
    this.continuousColumns = encoding.columns.filter((c) => c.kind === ColumnKind.FLOAT).map((c) => c.index);
    this.cardinality = this.parameters.reduce((n, p) => n * p.cardinality, 1);
    this.scratch = encoding.decode(new Float64Array(encoding.dimension).fill(0.5));
    this.levelCache = this.parameters.map(() => new Map());
  }

  /** Whether the encoding has any discrete column. */
  get hasDiscrete(): boolean {
    return this.parameters.length > 0;
  }

  /**
   * The grid point the encoding proposes for `x`: `encode(decode(x))`, so INT values are rounded (in
   * value space, which on log scale is the cell of the log-spaced relaxation), ordered choices take the
   * value whose cell holds the coordinate, one-hot blocks their argmax, and FLOAT values their `digits`.
   */
  snap(x: ArrayLike<number>): Float64Array {
    return this.encoding.encode(this.encoding.decode(x));
  }

  /** The level of every discrete parameter at `x`, in {@link parameters} order. */
  levels(x: ArrayLike<number>): number[] {
    const decoded = this.encoding.decode(x);
    return this.parameters.map((p) => p.level(decoded[p.name]!));
  }

  /** Writes level `level` of discrete parameter `k` into `x` (in place). */
  setLevel(x: Float64Array, k: number, level: number): void {
    const p = this.parameters[k]!;
    let columns = this.levelCache[k]!.get(level);
    if (columns === undefined) {
      const saved = this.scratch[p.name]!;
      this.scratch[p.name] = p.value(level);
      columns = this.encoding.encode(this.scratch).slice(p.start, p.start + p.width);
      this.scratch[p.name] = saved;
      this.levelCache[k]!.set(level, columns);
    }
    x.set(columns, p.start);
  }

  /**
   * The discrete neighbours of a grid point: each INT or ordered choice one level up and one down,
   * each unordered choice at every other value; continuous coordinates are kept.
   */
  neighbours(x: Float64Array): Float64Array[] {
    const levels = this.levels(x);
    const out: Float64Array[] = [];
    this.parameters.forEach((p, k) => {
      const current = levels[k]!;
      const targets = p.ordered
        ? [current - 1, current + 1].filter((l) => l >= 0 && l < p.cardinality)
        : Array.from({ length: p.cardinality }, (_, l) => l).filter((l) => l !== current);
      for (const level of targets) {
        const y = Float64Array.from(x);
        this.setLevel(y, k, level);
        out.push(y);
      }
    });
    return out;
  }

  /**
   * Calls `visit` with `base` set to every combination of discrete levels in turn (odometer order, the
   * last parameter fastest). `base` is modified in place and passed each time; copy it to keep a point.
   * Only for a finite {@link cardinality}.
   */
  forEachCombination(base: Float64Array, visit: (x: Float64Array) => void): void {
    const digits = this.parameters.map(() => 0);
    digits.forEach((level, k) => {
      this.setLevel(base, k, level);
    });
    for (;;) {
      visit(base);
      let k = this.parameters.length - 1;
      while (k >= 0 && ++digits[k]! === this.parameters[k]!.cardinality) {
        digits[k] = 0;
        this.setLevel(base, k, 0);
        k--;
      }
      if (k < 0) return;
      this.setLevel(base, k, digits[k]!);
    }
  }

  /** A key identifying the discrete part of a grid point (equal keys: same discrete levels). */
  discreteKey(x: ArrayLike<number>): string {
    return this.levels(x).join(",");
  }
}

function discreteParameter(
  encoding: SearchSpaceEncoding,
  name: string,
  start: number,
  width: number,
): DiscreteParameter | null {
  const p = encoding.searchSpace.getParameter(name);
  if (p instanceof RangeParameter) {
    if (!p.isDiscrete) return null;
    const { lower } = p;
    return {
      name,
      start,
      width,
      ordered: true,
      cardinality: p.cardinality,
      value: (i) => lower + i,
      level: (v) => (v as number) - lower,
    };
  }
  if (p instanceof ChoiceParameter) {
    return {
      name,
      start,
      width,
      ordered: p.isOrdered,
      cardinality: p.cardinality,
      value: (i) => p.values[i]!,
      level: (v) => p.indexOf(v),
    };
  }
  return null;
}
