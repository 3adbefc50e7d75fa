import { type CurvePoint, DEFAULT_PROGRESSION_KEY } from "../../core/curve-point.js";
import type { Experiment } from "../../core/experiment.js";
import { EarlyStoppingConfigError } from "../../errors.js";
import { normalizeProgressions } from "./curve-math.js";
import type { ResolvedCurveOptions } from "./curve-strategy-options.js";

/** What a strategy sees of an experiment at one decision: one metric's curves, in one direction. */
export interface CurveSnapshot {
  /** The metric watched. */
  readonly metricName: string;
  /** Whether lower values are better. */
  readonly minimize: boolean;
  /** How progressions read in reasons: "step", "epoch", or "progression" once normalized. */
  readonly progressionLabel: string;
  /** Every non-ignored trial with at least one point, progressions normalized when asked. */
  readonly curves: ReadonlyMap<number, readonly CurvePoint[]>;
}

/**
 * The metric a strategy watches and its direction: the one named in `metricNames`, else the first
 * objective's (Ax's rule for several objectives). A named metric takes the objective's direction when it
 * is an objective, else its `lowerIsBetter`.
 * @throws EarlyStoppingConfigError when there is no objective to default to, the metric is unknown, or
 * its direction is not known.
 */
export function metricAndDirection(
  experiment: Experiment,
  metricNames: readonly string[] | null,
  strategy: string,
): { metricName: string; minimize: boolean } {
  const config = experiment.optimizationConfig;
  const name = metricNames?.[0];
  if (name === undefined) {
    const first = config?.objectives[0];
    if (first === undefined) {
      throw new EarlyStoppingConfigError(
        `${strategy}: experiment "${experiment.name}" has no optimization config to take the metric from; ` +
          'pass metricNames: ["<metric>"] (a metric with lowerIsBetter set).',
        { path: "metricNames" },
      );
    }
    return { metricName: first.metric.name, minimize: first.minimize };
  }
  const objective = config?.objectives.find((o) => o.metric.name === name);
  if (objective) return { metricName: name, minimize: objective.minimize };
  const metric = experiment.metrics.find((m) => m.name === name);
  if (metric === undefined) {
    throw new EarlyStoppingConfigError(
      `${strategy}: metric "${name}" is not on experiment "${experiment.name}" ` +
        `(its metrics: ${experiment.metrics.map((m) => m.name).join(", ") || "none"}); ` +
        "fix metricNames or add the metric as a tracking metric.",
      { path: "metricNames" },
    );
  }
  if (metric.lowerIsBetter === null) {
    throw new EarlyStoppingConfigError(
      `${strategy}: metric "${name}" is not an objective and has no lowerIsBetter, so which values are ` +
        "worse is unknown; construct the metric with lowerIsBetter: true or false.",
      { path: "metricNames" },
    );
  }
  return { metricName: name, minimize: metric.lowerIsBetter };
}

/**
 * Reads the curves a strategy decides on: the watched metric's curve of every trial (running, completed,
 * early stopped...) except the ignored ones, normalized if asked.
 * @throws EarlyStoppingConfigError as {@link metricAndDirection}, or when a trial with curve data has
 * several arms (curves are per trial, as in Ax, which does not support batch trials either).
 */
export function readCurves(
  experiment: Experiment,
  options: ResolvedCurveOptions,
  strategy: string,
): CurveSnapshot {
  const { metricName, minimize } = metricAndDirection(experiment, options.metricNames, strategy);
  const ignored = new Set(options.trialIndicesToIgnore);
  const wanted = [...experiment.trials.keys()].filter((i) => !ignored.has(i));
  for (const index of wanted) {
    const arms = experiment.getTrial(index).arms.length;
    if (arms > 1 && experiment.hasDataFor(index, metricName)) {
      throw new EarlyStoppingConfigError(
        `${strategy}: trial ${index} has ${arms} arms; early stopping compares one curve per trial, so ` +
          "batch trials are not supported (use one-arm trials, or list the trial in trialIndicesToIgnore).",
        { path: "trialIndicesToIgnore" },
      );
    }
  }
  const key = options.progressionKey ?? defaultKey(experiment, metricName);
  const raw = experiment.curves(metricName, { trialIndices: wanted, progressionKey: key });
  const curves = options.normalizeProgressions ? normalizeProgressions(raw) : raw;
  const progressionLabel = options.normalizeProgressions ? "progression" : key;
  return { metricName, minimize, progressionLabel, curves };
}

/** "step" when the metric's curves have it, else their first key (the curve API's own default). */
function defaultKey(experiment: Experiment, metricName: string): string {
  const keys = experiment.progressionKeys(metricName);
  return keys.includes(DEFAULT_PROGRESSION_KEY)
    ? DEFAULT_PROGRESSION_KEY
    : (keys[0] ?? DEFAULT_PROGRESSION_KEY);
}
