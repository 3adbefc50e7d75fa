import type { JsonObject } from "../../core/json.js";
import type { ComparisonOp } from "../../core/outcome-constraint.js";
import type { ParameterType, ParameterValue } from "../../core/parameter-type.js";
import type { EncodedMetric, EncodedRunner } from "./registry.js";

/** Version of {@link EncodedExperiment} this release writes; newer versions are refused on load. */
export const EXPERIMENT_FORMAT_VERSION = 1;

/** A stored parameter, by kind. Choice values are kept in their final order. */
export type EncodedParameter =
  | {
      kind: "range";
      name: string;
      parameterType: ParameterType;
      lower: number;
      upper: number;
      logScale: boolean;
      digits: number | null;
    }
  | {
      kind: "choice";
      name: string;
      parameterType: ParameterType;
      values: ParameterValue[];
      isOrdered: boolean;
    }
  | { kind: "fixed"; name: string; parameterType: ParameterType; value: ParameterValue };

/** A stored parameter constraint: linear, order and sum constraints are kept as such. */
export type EncodedParameterConstraint =
  | { kind: "linear"; constraintDict: { [parameter: string]: number }; bound: number }
  | { kind: "order"; lowerParameter: string; upperParameter: string }
  /** `bound` as the user wrote it: `sum <= bound` when `isUpperBound`, else `sum >= bound`. */
  | { kind: "sum"; parameters: string[]; isUpperBound: boolean; bound: number };

/** A stored search space. */
export type EncodedSearchSpace = {
  parameters: EncodedParameter[];
  parameterConstraints: EncodedParameterConstraint[];
};

/** A stored objective. */
export type EncodedObjective = { metric: EncodedMetric; minimize: boolean };

/** A stored outcome constraint. */
export type EncodedOutcomeConstraint = {
  metric: EncodedMetric;
  op: ComparisonOp;
  bound: number;
  relative: boolean;
};

/** A stored objective threshold; it names one of the objectives' metrics. */
export type EncodedObjectiveThreshold = {
  metricName: string;
  op: ComparisonOp;
  bound: number;
  relative: boolean;
};

/** A stored optimization config: one objective, or several when `multiObjective`. */
export type EncodedOptimizationConfig = {
  multiObjective: boolean;
  objectives: EncodedObjective[];
  outcomeConstraints: EncodedOutcomeConstraint[];
  objectiveThresholds: EncodedObjectiveThreshold[];
};

/**
 * An experiment's definition as JSON (everything but its trials, data and generation state), as stores
 * keep it. Metrics and runners are `{ className, fields }`, resolved through the registry on load.
 */
export type EncodedExperiment = {
  formatVersion: 1;
  name: string;
  description: string | null;
  isTest: boolean;
  properties: JsonObject;
  timeCreated: number;
  searchSpace: EncodedSearchSpace;
  optimizationConfig: EncodedOptimizationConfig | null;
  trackingMetrics: EncodedMetric[];
  runner: EncodedRunner | null;
  immutableSearchSpaceAndOptConfig: boolean;
  /** The status-quo arm; absent (not null) when there is none, so experiments without one encode as before. */
  statusQuo?: EncodedArm;
};

/** A named arm: its name and parameter values. */
export type EncodedArm = { name: string; parameters: Record<string, ParameterValue> };
