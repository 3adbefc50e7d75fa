import { OptimizationConfigError } from "../errors.js";
import type { Metric } from "./metric.js";

/** A metric to minimize or maximize. */
export class Objective {
  readonly metric: Metric;
  readonly minimize: boolean;

  constructor(options: { metric: Metric; minimize?: boolean }) {
    if (!options?.metric) throw new OptimizationConfigError("An Objective needs a metric.");
    this.metric = options.metric;
    this.minimize = options.minimize ?? options.metric.lowerIsBetter ?? false;
  }

  /** Names of the metrics this objective reads. */
  get metricNames(): string[] {
    return [this.metric.name];
  }

  toString(): string {
    return `${this.minimize ? "minimize" : "maximize"} ${this.metric.name}`;
  }
}

/**
 * Several objectives optimized together; the result is a Pareto frontier.
 * @throws OptimizationConfigError for fewer than two objectives or repeated metrics.
 */
export class MultiObjective {
  readonly objectives: readonly Objective[];

  constructor(options: { objectives: readonly Objective[] }) {
    const objectives = options?.objectives ?? [];
    if (objectives.length < 2) {
      throw new OptimizationConfigError(
        `A MultiObjective needs at least two objectives, got ${objectives.length}; use an Objective for one.`,
      );
    }
    const names = objectives.map((o) => o.metric.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) {
      throw new OptimizationConfigError(`Metric "${dup}" appears twice in the MultiObjective.`, {
        metricName: dup,
      });
    }
    this.objectives = [...objectives];
  }

  get metricNames(): string[] {
    return this.objectives.map((o) => o.metric.name);
  }

  toString(): string {
    return this.objectives.map(String).join(", ");
  }
}
