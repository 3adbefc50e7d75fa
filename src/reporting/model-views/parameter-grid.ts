import { ChoiceParameter } from "../../core/choice-parameter.js";
import type { Parameter } from "../../core/parameter.js";
import { ParameterType, type ParameterValue } from "../../core/parameter-type.js";
import { RangeParameter } from "../../core/range-parameter.js";

/** Values of one parameter a chart predicts at, and how its axis is drawn. */
export interface ParameterGrid {
  /** `"range"`: a quantitative axis (log when `logScale`); `"choice"`: one category per value. */
  readonly kind: "range" | "choice";
  readonly values: readonly ParameterValue[];
  readonly logScale: boolean;
  /** Whether the values are the parameter's integers (INT ranges). */
  readonly integer: boolean;
}

/**
 * The grid of a parameter: for a FLOAT range `points` values evenly spaced between its bounds (in log
 * space for a log-scale one); for an INT range its integers, or `points` of them evenly spread when
 * there are more; for a choice its values.
 */
export function parameterGrid(parameter: Parameter, points: number): ParameterGrid | null {
  if (parameter instanceof ChoiceParameter) {
    return { kind: "choice", values: [...parameter.values], logScale: false, integer: false };
  }
  if (!(parameter instanceof RangeParameter)) return null;
  const { lower, upper, logScale } = parameter;
  const integer = parameter.parameterType === ParameterType.INT;
  if (integer && upper - lower + 1 <= points) {
    return {
      kind: "range",
      values: Array.from({ length: upper - lower + 1 }, (_, i) => lower + i),
      logScale,
      integer,
    };
  }
  const [a, b] = logScale ? [Math.log10(lower), Math.log10(upper)] : [lower, upper];
  const raw = Array.from({ length: points }, (_, i) => {
    const t = a + ((b - a) * i) / (points - 1);
    return logScale ? 10 ** t : t;
  });
  // Exact bounds (10 ** log10(x) can miss x by an ulp, which the parameter would reject).
  raw[0] = lower;
  raw[points - 1] = upper;
  const values = integer ? [...new Set(raw.map((v) => Math.round(v)))] : raw;
  return { kind: "range", values, logScale, integer };
}

/**
 * Cell boundaries of grid values for a heatmap: each cell ends halfway to its neighbours (geometrically
 * halfway on a log axis); the outer cells end at the bounds, or half a unit beyond the extreme integers
 * of an INT parameter (whose consecutive integers thus own [v − ½, v + ½]).
 */
export function cellEdges(grid: ParameterGrid): { lower: number[]; upper: number[] } {
  const v = grid.values as number[];
  const mid = (x: number, y: number) => (grid.logScale ? Math.sqrt(x * y) : (x + y) / 2);
  const pad = grid.integer ? 0.5 : 0;
  return {
    lower: v.map((x, i) => (i === 0 ? x - pad : mid(v[i - 1]!, x))),
    upper: v.map((x, i) => (i === v.length - 1 ? x + pad : mid(x, v[i + 1]!))),
  };
}
