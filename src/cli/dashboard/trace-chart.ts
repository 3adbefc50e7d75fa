import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../../reporting/charts/chart.js";

/**
 * The optimization trace of a single-objective experiment: each completed trial's observed objective
 * and the best so far, by trial index. Null when there is no single objective.
 */
export function traceChart(experiment: Experiment): Chart | null {
  const config = experiment.optimizationConfig;
  const objective = config?.objectives.length === 1 ? config.objectives[0] : undefined;
  if (!objective) return null;
  const metric = objective.metric.name;
  const values: JsonObject[] = [];
  let best: number | null = null;
  for (const trial of [...experiment.trials.values()].sort((a, b) => a.index - b.index)) {
    if (trial.status !== "COMPLETED") continue;
    const row = experiment.lookupTrialData(trial.index).rows.find((r) => r.metricName === metric);
    if (!row || !Number.isFinite(row.mean)) continue;
    best =
      best === null ? row.mean : objective.minimize ? Math.min(best, row.mean) : Math.max(best, row.mean);
    values.push({ trial: trial.index, observed: row.mean, best });
  }
  const x = { field: "trial", type: "quantitative", title: "trial" };
  return {
    kind: "optimization-trace",
    title: `Optimization trace (${objective.minimize ? "minimize" : "maximize"} ${metric})`,
    caption: "Each completed trial's observed value (points) and the best so far (line).",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: "container",
      height: 260,
      data: { values },
      layer: [
        {
          mark: { type: "point", filled: true, opacity: 0.6 },
          encoding: { x, y: { field: "observed", type: "quantitative", title: metric } },
        },
        {
          mark: { type: "line", interpolate: "step-after", color: "#d62728" },
          encoding: { x, y: { field: "best", type: "quantitative" } },
        },
      ],
    },
  };
}
