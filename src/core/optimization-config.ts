import { OptimizationConfigError } from "../errors.js";
import type { Metric } from "./metric.js";
import { MultiObjective, type Objective } from "./objective.js";
import type { ObjectiveThreshold, OutcomeConstraint } from "./outcome-constraint.js";

/** Constructor options of {@link OptimizationConfig}. */
export interface OptimizationConfigOptions {
  objective: Objective | MultiObjective;
  outcomeConstraints?: readonly OutcomeConstraint[];
  /** Only for multi-objective problems: worst acceptable values of the objectives. */
  objectiveThresholds?: readonly ObjectiveThreshold[];
}

/**
 * What to optimize: one objective (or several, as a MultiObjective) and constraints on other outcomes.
 * @throws OptimizationConfigError when a constraint is on an objective metric, or thresholds are given
 * for a single objective or name a metric that is not an objective.
 */
export class OptimizationConfig {
  readonly objective: Objective | MultiObjective;
  readonly outcomeConstraints: readonly OutcomeConstraint[];
  readonly objectiveThresholds: readonly ObjectiveThreshold[];

  constructor(options: OptimizationConfigOptions) {
    if (!options?.objective) throw new OptimizationConfigError("An OptimizationConfig needs an objective.");
    this.objective = options.objective;
    this.outcomeConstraints = [...(options.outcomeConstraints ?? [])];
    this.objectiveThresholds = [...(options.objectiveThresholds ?? [])];
    const objectiveNames = new Set(this.objective.metricNames);
    for (const c of this.outcomeConstraints) {
      if (objectiveNames.has(c.metric.name)) {
        throw new OptimizationConfigError(
          `Outcome constraint ${c.toString()} is on objective metric "${c.metric.name}"; constrain a different metric` +
            (this.isMultiObjective ? " or use an objective threshold." : "."),
          { metricName: c.metric.name },
        );
      }
    }
    if (this.objectiveThresholds.length > 0 && !this.isMultiObjective) {
      throw new OptimizationConfigError("Objective thresholds apply to multi-objective problems only.");
    }
    for (const t of this.objectiveThresholds) {
      if (!objectiveNames.has(t.metric.name)) {
        throw new OptimizationConfigError(
          `Objective threshold names "${t.metric.name}", which is not an objective.`,
          {
            metricName: t.metric.name,
          },
        );
      }
    }
  }

  /** Whether there are several objectives. */
  get isMultiObjective(): boolean {
    return this.objective instanceof MultiObjective;
  }

  /** The single objectives (one, or those of the MultiObjective). */
  get objectives(): readonly Objective[] {
    return this.objective instanceof MultiObjective ? this.objective.objectives : [this.objective];
  }

  /** Every metric the config reads: objectives first, then constraint metrics. */
  get metrics(): Metric[] {
    const seen = new Map<string, Metric>();
    for (const o of this.objectives) seen.set(o.metric.name, o.metric);
    for (const c of this.outcomeConstraints) if (!seen.has(c.metric.name)) seen.set(c.metric.name, c.metric);
    return [...seen.values()];
  }

  toString(): string {
    const cons = this.outcomeConstraints.map(String);
    return `${this.objective.toString()}${cons.length ? ` subject to ${cons.join(", ")}` : ""}`;
  }
}

/** An OptimizationConfig with a MultiObjective, named as in Ax. */
export class MultiObjectiveOptimizationConfig extends OptimizationConfig {
  constructor(options: OptimizationConfigOptions & { objective: MultiObjective }) {
    if (!(options?.objective instanceof MultiObjective)) {
      throw new OptimizationConfigError("MultiObjectiveOptimizationConfig needs a MultiObjective objective.");
    }
    super(options);
  }
}
