import { ChoiceParameter } from "../../core/choice-parameter.js";
import type { Parameter } from "../../core/parameter.js";
import type { ParameterValue } from "../../core/parameter-type.js";
import { RangeParameter } from "../../core/range-parameter.js";
import type { SearchSpace } from "../../core/search-space.js";
import { formatNumber } from "./plot-spec.js";

/** One vertical axis of a parallel-coordinates chart: where a value sits, and the labels it carries. */
export interface ParallelAxis {
  name: string;
  /** Height of a value on the axis in [0, 1]; null for a value the axis cannot place. */
  position(value: ParameterValue | undefined): number | null;
  /** Labelled heights: the bounds and midpoint of a range, every category of a choice. */
  labels: { position: number; label: string }[];
}

/**
 * The axes of the searched parameters, in the search space's order (fixed parameters are left out:
 * one value says nothing). Ranges map their bounds to [0, 1], in log space for log-scale ones;
 * choices are evenly spaced categories in their declared order.
 */
export function parallelAxes(space: SearchSpace): ParallelAxis[] {
  const axes: ParallelAxis[] = [];
  for (const p of space.parameters.values()) {
    const axis = axisOf(p);
    if (axis) axes.push(axis);
  }
  return axes;
}

function axisOf(p: Parameter): ParallelAxis | null {
  if (p instanceof RangeParameter) return rangeAxis(p);
  if (p instanceof ChoiceParameter) return choiceAxis(p);
  return null;
}

function rangeAxis(p: RangeParameter): ParallelAxis {
  const t = p.logScale ? Math.log : (v: number) => v;
  const lo = t(p.lower);
  const width = t(p.upper) - lo;
  const mid = p.logScale ? Math.sqrt(p.lower * p.upper) : (p.lower + p.upper) / 2;
  return {
    name: p.name,
    // Values outside the bounds (a status quo may lie there) sit at the nearest end.
    position: (v) =>
      typeof v === "number" && Number.isFinite(v) ? Math.min(1, Math.max(0, (t(v) - lo) / width)) : null,
    labels: [
      { position: 0, label: formatNumber(p.lower) },
      { position: 0.5, label: `${formatNumber(mid)}${p.logScale ? " (log)" : ""}` },
      { position: 1, label: formatNumber(p.upper) },
    ],
  };
}

function choiceAxis(p: ChoiceParameter): ParallelAxis {
  const last = p.values.length - 1;
  return {
    name: p.name,
    position: (v) => {
      const i = v === undefined ? -1 : p.indexOf(v);
      return i < 0 ? null : i / last;
    },
    labels: p.values.map((v, i) => ({ position: i / last, label: String(v) })),
  };
}
