import { describeValue as describe } from "../core/json.js";
import { MultiObjective, Objective } from "../core/objective.js";
import { OptimizationConfig } from "../core/optimization-config.js";
import { ComparisonOp, ObjectiveThreshold } from "../core/outcome-constraint.js";
import { ResultMetric } from "../core/result-metric.js";
import { OptimizationConfigError } from "../errors.js";
import { parseOutcomeConstraint } from "./outcome-constraint-parser.js";

/**
 * How one objective is optimized (Ax's `ObjectiveProperties`).
 * @example { minimize: true }
 * @example { minimize: false, threshold: 100 } // multi-objective: values below 100 are not worth having
 */
export interface ObjectiveSpec {
  /** True to minimize the metric, false to maximize it. */
  minimize: boolean;
  /**
   * Multi-objective only: the worst acceptable value of this objective (the reference point of the
   * Pareto frontier). Values must be at most this when minimizing, at least this when maximizing.
   */
  threshold?: number;
}

/** What to optimize, in the Client's plain form. */
export interface OptimizationSpec {
  /** Objectives by metric name; two or more make a multi-objective problem. */
  objectives: Readonly<Record<string, ObjectiveSpec>>;
  /** Text outcome constraints, e.g. `["cost <= 10", "latency <= 5%"]`. */
  outcomeConstraints?: readonly string[];
  /** Metrics recorded but not optimized. */
  trackingMetricNames?: readonly string[];
}

/** The optimization config and tracking metrics built by {@link optimizationFromSpec}. */
export interface BuiltOptimization {
  optimizationConfig: OptimizationConfig;
  /** One {@link ResultMetric} per tracking metric name. */
  trackingMetrics: ResultMetric[];
}

/**
 * Builds the optimization config of a Client experiment. Every metric is a {@link ResultMetric}, one
 * instance per name, shared by the objective and constraints that read it: with the Client, values come
 * in through `completeTrial`; run by a Scheduler with a built-in runner, they are read from the result
 * the runner keeps with each trial.
 * @throws OptimizationConfigError for no objectives, a malformed objective, a threshold on a single
 * objective, an unparsable constraint, a constraint on an objective, or a tracking metric that is
 * already an objective or constraint metric.
 */
export function optimizationFromSpec(spec: OptimizationSpec): BuiltOptimization {
  const entries = objectiveEntries(spec.objectives);
  const metrics = new Map<string, ResultMetric>();
  const metricFor = (name: string, lowerIsBetter: boolean | null = null): ResultMetric => {
    let metric = metrics.get(name);
    if (!metric) {
      metric = new ResultMetric({ name, lowerIsBetter });
      metrics.set(name, metric);
    }
    return metric;
  };
  const objectives = entries.map(
    ([name, o]) => new Objective({ metric: metricFor(name, o.minimize), minimize: o.minimize }),
  );
  const thresholds = thresholdsOf(entries, metricFor);
  const constraints = listOfStrings("outcomeConstraints", spec.outcomeConstraints).map((text) =>
    parseOutcomeConstraint(text, metricFor),
  );
  const optimizationConfig = new OptimizationConfig({
    objective: objectives.length === 1 ? objectives[0]! : new MultiObjective({ objectives }),
    outcomeConstraints: constraints,
    objectiveThresholds: thresholds,
  });
  const trackingMetrics = trackingMetricsOf(spec.trackingMetricNames, metrics);
  return { optimizationConfig, trackingMetrics };
}

function objectiveEntries(objectives: unknown): [string, ObjectiveSpec][] {
  if (objectives === null || typeof objectives !== "object" || Array.isArray(objectives)) {
    throw new OptimizationConfigError(
      `objectives must be an object of metric names, e.g. objectives: { loss: { minimize: true } }; got ${describe(objectives)}.`,
    );
  }
  const entries = Object.entries(objectives as Record<string, unknown>);
  if (entries.length === 0) {
    throw new OptimizationConfigError(
      "objectives is empty: name at least one metric, e.g. objectives: { loss: { minimize: true } }.",
    );
  }
  return entries.map(([name, o]) => [name, checkObjective(name, o)]);
}

function checkObjective(name: string, o: unknown): ObjectiveSpec {
  const fail = (why: string): never => {
    throw new OptimizationConfigError(`Objective "${name}": ${why}`, { metricName: name });
  };
  if (name.trim() === "") fail("metric names must be non-empty.");
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    return fail(`write { minimize: true } or { minimize: false }, got ${describe(o)}.`);
  }
  const record = o as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === "minimize" || key === "threshold" || record[key] === undefined) continue;
    const hint = key === "maximize" || key === "lowerIsBetter" ? "write minimize: true | false" : "";
    fail(`unknown key "${key}"; ${hint || "allowed keys: minimize, threshold"}.`);
  }
  if (typeof record.minimize !== "boolean") {
    fail(`minimize must be true or false, got ${describe(record.minimize)}.`);
  }
  const threshold = record.threshold;
  if (threshold !== undefined && (typeof threshold !== "number" || !Number.isFinite(threshold))) {
    fail(`threshold must be a finite number, got ${describe(threshold)}.`);
  }
  return record as unknown as ObjectiveSpec;
}

function thresholdsOf(
  entries: readonly [string, ObjectiveSpec][],
  metricFor: (name: string) => ResultMetric,
): ObjectiveThreshold[] {
  const withThreshold = entries.filter(([, o]) => o.threshold !== undefined);
  if (entries.length === 1 && withThreshold.length > 0) {
    const [name] = entries[0]!;
    throw new OptimizationConfigError(
      `Objective "${name}" has a threshold, but thresholds apply only to multi-objective experiments. ` +
        "Remove it (with one objective, the best value is simply the best).",
      { metricName: name },
    );
  }
  return withThreshold.map(
    ([name, o]) =>
      new ObjectiveThreshold({
        metric: metricFor(name),
        op: o.minimize ? ComparisonOp.LEQ : ComparisonOp.GEQ,
        bound: o.threshold!,
        relative: false,
      }),
  );
}

function trackingMetricsOf(
  names: readonly string[] | undefined,
  configMetrics: ReadonlyMap<string, ResultMetric>,
): ResultMetric[] {
  const seen = new Set<string>();
  return listOfStrings("trackingMetricNames", names).map((name) => {
    if (configMetrics.has(name)) {
      throw new OptimizationConfigError(
        `Tracking metric "${name}" is already an objective or outcome-constraint metric, which are recorded anyway; remove it from trackingMetricNames.`,
        { metricName: name },
      );
    }
    if (seen.has(name)) {
      throw new OptimizationConfigError(`Tracking metric "${name}" is listed twice in trackingMetricNames.`, {
        metricName: name,
      });
    }
    seen.add(name);
    return new ResultMetric({ name });
  });
}

function listOfStrings(what: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
    throw new OptimizationConfigError(`${what} must be a list of non-empty strings, got ${describe(value)}.`);
  }
  return value;
}
