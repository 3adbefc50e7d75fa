import type { BaseTrial } from "../../core/base-trial.js";
import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import { observedArms } from "../../core/observed-arms.js";
import type { OutcomeConstraint } from "../../core/outcome-constraint.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { TrialStatus } from "../../core/trial-status.js";
import { OptimizationConfigError } from "../../errors.js";
import type { Chart } from "../charts/chart.js";
import { armTooltip, formatNumber } from "./plot-spec.js";
import { tracePosition, trialMarkers } from "./trace-data.js";
import { markerRows, traceSpec } from "./trace-spec.js";

/**
 * The observations of an outcome-constraint metric by trial index (one point per arm of each
 * COMPLETED trial, coloured by whether it satisfies the bound), with the bound drawn as a horizontal
 * rule. A relative bound (percent of the status quo) is drawn in the metric's units once the status
 * quo has an observation of the metric (as `bestPoint` judges it); until then the caption says why
 * there is no rule. FAILED, ABANDONED and EARLY_STOPPED trials are marked on the axis.
 * @throws OptimizationConfigError when the experiment has no optimization config or `metric` is not
 * the metric of one of its outcome constraints.
 */
export function plotMetricTrace(experiment: Experiment, metric: string): Chart {
  const config = experiment.requireOptimizationConfig();
  const constraint = config.outcomeConstraints.find((c) => c.metric.name === metric);
  if (!constraint) {
    const names = config.outcomeConstraints.map((c) => c.metric.name);
    throw new OptimizationConfigError(
      `"${metric}" is not constrained in experiment "${experiment.name}" ` +
        `(constrained metrics: ${names.length > 0 ? names.join(", ") : "none"}); plotMetricTrace draws ` +
        "outcome-constraint metrics.",
      { metricName: metric },
    );
  }
  const bound = relativeBoundsOf(experiment)(constraint);
  const position = tracePosition(experiment, "trial");
  const points = constraintPoints(experiment, constraint, bound, position);
  const title = `${metric} (constraint ${constraint.toString()})`;
  const spec = traceSpec(title, "trial", metric, {
    points,
    line: [],
    markers: markerRows(trialMarkers(experiment, position)),
    rules: bound === null ? [] : [{ value: bound, series: "Bound" }],
  });
  return { kind: "metric-trace", title, caption: caption(constraint, bound), spec };
}

/** Observations of the constraint's metric: `{ x, value, series, tip, desc }`, judged when the bound is known. */
function constraintPoints(
  experiment: Experiment,
  constraint: OutcomeConstraint,
  bound: number | null,
  position: (trial: BaseTrial) => number,
): JsonObject[] {
  const metric = constraint.metric.name;
  const points: JsonObject[] = [];
  for (const trial of experiment.trialsWithStatuses([TrialStatus.COMPLETED])) {
    for (const { arm, values } of observedArms(experiment, trial)) {
      const value = values[metric];
      if (value === undefined) continue;
      const ok = bound === null ? null : constraint.isSatisfiedBy(value, bound);
      points.push({
        x: position(trial),
        value,
        series: ok === null ? "Observation" : ok ? "Satisfies the bound" : "Violates the bound",
        tip: armTooltip(
          { trial: trial.index, arm: arm.name, [`${metric} (observed)`]: value },
          arm.parameters,
        ),
        desc: `Trial ${trial.index} arm ${arm.name}: ${metric} = ${formatNumber(value)}`,
      });
    }
  }
  return points;
}

function caption(constraint: OutcomeConstraint, bound: number | null): string {
  const head = `Each point is one arm of a COMPLETED trial; the dashed rule is the bound ${constraint.op === "LEQ" ? "≤" : "≥"} `;
  if (!constraint.relative) return `${head}${formatNumber(constraint.bound)}.`;
  if (bound !== null) {
    return `${head}${formatNumber(bound)}: ${constraint.bound}% relative to the status quo's observed ${constraint.metric.name}.`;
  }
  return (
    `Each point is one arm of a COMPLETED trial. The bound is ${constraint.bound}% relative to the status quo, ` +
    "which has no observation of this metric yet (or the experiment has no status quo), so it is not drawn " +
    "and no arm is judged against it."
  );
}
