import type { Metric } from "../../core/metric.js";
import { MultiObjective, Objective } from "../../core/objective.js";
import { MultiObjectiveOptimizationConfig, OptimizationConfig } from "../../core/optimization-config.js";
import { ComparisonOp, ObjectiveThreshold, OutcomeConstraint } from "../../core/outcome-constraint.js";
import type {
  EncodedObjective,
  EncodedObjectiveThreshold,
  EncodedOptimizationConfig,
  EncodedOutcomeConstraint,
} from "./encoded-experiment.js";
import {
  asObject,
  malformed,
  readArray,
  readBoolean,
  readEnum,
  readNonEmptyString,
  readNumber,
  readObject,
  rebuilding,
} from "./json-shape.js";
import { type EncodedMetric, encodeMetric } from "./registry.js";

const OPS = [ComparisonOp.LEQ, ComparisonOp.GEQ] as const;

/** Rebuilds a stored metric at a path (the experiment codec shares equal metrics between uses). */
export type MetricDecoder = (encoded: EncodedMetric, path: string) => Metric;

/**
 * @internal Encodes an optimization config. Thresholds name their objective's metric rather than
 * repeating it, so the loaded threshold and objective share one Metric instance.
 */
export function encodeOptimizationConfig(config: OptimizationConfig): EncodedOptimizationConfig {
  return {
    multiObjective: config.isMultiObjective,
    objectives: config.objectives.map((o) => ({ metric: encodeMetric(o.metric), minimize: o.minimize })),
    outcomeConstraints: config.outcomeConstraints.map((c) => ({
      metric: encodeMetric(c.metric),
      op: c.op,
      bound: c.bound,
      relative: c.relative,
    })),
    objectiveThresholds: config.objectiveThresholds.map((t) => ({
      metricName: t.metric.name,
      op: t.op,
      bound: t.bound,
      relative: t.relative,
    })),
  };
}

/** @internal Checks the shape of an encoded optimization config. */
export function readOptimizationConfig(value: unknown, path: string): EncodedOptimizationConfig {
  const o = asObject(value, path);
  const multiObjective = readBoolean(o, "multiObjective", path);
  const objectives = readArray(o, "objectives", path).map((x, i) =>
    readObjective(x, `${path}.objectives[${i}]`),
  );
  if (multiObjective ? objectives.length < 2 : objectives.length !== 1) {
    malformed(
      `${path}.objectives`,
      multiObjective ? "at least two objectives (multiObjective is true)" : "exactly one objective",
      objectives,
    );
  }
  return {
    multiObjective,
    objectives,
    outcomeConstraints: readArray(o, "outcomeConstraints", path).map((x, i) =>
      readOutcomeConstraint(x, `${path}.outcomeConstraints[${i}]`),
    ),
    objectiveThresholds: readArray(o, "objectiveThresholds", path).map((x, i) =>
      readThreshold(x, `${path}.objectiveThresholds[${i}]`),
    ),
  };
}

/** @internal Every stored metric of a config with its path, for resolving classes before building. */
export function configMetrics(encoded: EncodedOptimizationConfig, path: string): [EncodedMetric, string][] {
  return [
    ...encoded.objectives.map((o, i): [EncodedMetric, string] => [
      o.metric,
      `${path}.objectives[${i}].metric`,
    ]),
    ...encoded.outcomeConstraints.map((c, i): [EncodedMetric, string] => [
      c.metric,
      `${path}.outcomeConstraints[${i}].metric`,
    ]),
  ];
}

/** @internal Builds an optimization config; core refusals become StorageErrors at their path. */
export function buildOptimizationConfig(
  encoded: EncodedOptimizationConfig,
  path: string,
  decodeMetric: MetricDecoder,
): OptimizationConfig {
  const objectives = encoded.objectives.map(
    (o, i) =>
      new Objective({
        metric: decodeMetric(o.metric, `${path}.objectives[${i}].metric`),
        minimize: o.minimize,
      }),
  );
  const outcomeConstraints = encoded.outcomeConstraints.map((c, i) => {
    const at = `${path}.outcomeConstraints[${i}]`;
    const metric = decodeMetric(c.metric, `${at}.metric`);
    return rebuilding(at, "outcome constraint", () => new OutcomeConstraint({ ...c, metric }));
  });
  const objectiveThresholds = encoded.objectiveThresholds.map((t, i) => {
    const at = `${path}.objectiveThresholds[${i}]`;
    const objective = objectives.find((o) => o.metric.name === t.metricName);
    if (!objective) malformed(`${at}.metricName`, "the metric name of one of the objectives", t.metricName);
    return rebuilding(
      at,
      "objective threshold",
      () => new ObjectiveThreshold({ ...t, metric: objective.metric }),
    );
  });
  return rebuilding(path, "optimization config", () => {
    if (!encoded.multiObjective) {
      return new OptimizationConfig({ objective: objectives[0]!, outcomeConstraints, objectiveThresholds });
    }
    return new MultiObjectiveOptimizationConfig({
      objective: new MultiObjective({ objectives }),
      outcomeConstraints,
      objectiveThresholds,
    });
  });
}

/** @internal Checks the shape of a stored Metric or Runner, `{ className, fields }`. */
export function readMetric(value: unknown, path: string): EncodedMetric {
  const o = asObject(value, path);
  return {
    className: readNonEmptyString(o, "className", path),
    fields: readObject(o, "fields", path) as EncodedMetric["fields"],
  };
}

function readObjective(value: unknown, path: string): EncodedObjective {
  const o = asObject(value, path);
  return { metric: readMetric(o.metric, `${path}.metric`), minimize: readBoolean(o, "minimize", path) };
}

function readOutcomeConstraint(value: unknown, path: string): EncodedOutcomeConstraint {
  const o = asObject(value, path);
  return {
    metric: readMetric(o.metric, `${path}.metric`),
    op: readEnum(o, "op", path, OPS),
    bound: readNumber(o, "bound", path),
    relative: readBoolean(o, "relative", path),
  };
}

function readThreshold(value: unknown, path: string): EncodedObjectiveThreshold {
  const o = asObject(value, path);
  return {
    metricName: readNonEmptyString(o, "metricName", path),
    op: readEnum(o, "op", path, OPS),
    bound: readNumber(o, "bound", path),
    relative: readBoolean(o, "relative", path),
  };
}
