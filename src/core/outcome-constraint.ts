import { OptimizationConfigError } from "../errors.js";
import type { Metric } from "./metric.js";

/** Direction of a bound. */
export const ComparisonOp = { LEQ: "LEQ", GEQ: "GEQ" } as const;
export type ComparisonOp = (typeof ComparisonOp)[keyof typeof ComparisonOp];

/** Constructor options of {@link OutcomeConstraint} and {@link ObjectiveThreshold}. */
export interface OutcomeConstraintOptions {
  metric: Metric;
  op: ComparisonOp;
  bound: number;
  /** A bound in percent relative to the status-quo arm, instead of an absolute value. */
  relative?: boolean;
}

/**
 * A bound that a metric must satisfy for an arm to count as feasible: `metric <= bound` or `>= bound`,
 * absolute or relative (percent change versus the status quo).
 */
export class OutcomeConstraint {
  readonly metric: Metric;
  readonly op: ComparisonOp;
  readonly bound: number;
  readonly relative: boolean;

  constructor(options: OutcomeConstraintOptions) {
    if (!options?.metric) throw new OptimizationConfigError("An outcome constraint needs a metric.");
    if (options.op !== ComparisonOp.LEQ && options.op !== ComparisonOp.GEQ) {
      throw new OptimizationConfigError(
        `Outcome constraint on "${options.metric.name}": op must be ComparisonOp.LEQ or ComparisonOp.GEQ, got ${options.op}.`,
        { metricName: options.metric.name },
      );
    }
    if (!Number.isFinite(options.bound)) {
      throw new OptimizationConfigError(
        `Outcome constraint on "${options.metric.name}": bound must be a finite number, got ${options.bound}.`,
        { metricName: options.metric.name },
      );
    }
    this.metric = options.metric;
    this.op = options.op;
    this.bound = options.bound;
    this.relative = options.relative ?? false;
  }

  /**
   * Whether a value satisfies the constraint: against its own bound, or against `bound` (the bound in
   * the metric's units of a relative constraint, see `relativeBoundsOf`).
   */
  isSatisfiedBy(value: number, bound: number = this.bound): boolean {
    return this.op === ComparisonOp.LEQ ? value <= bound : value >= bound;
  }

  toString(): string {
    return `${this.metric.name} ${this.op === "LEQ" ? "<=" : ">="} ${this.bound}${this.relative ? "%" : ""}`;
  }
}

/** The worst acceptable value of one objective in a multi-objective problem (the reference point). */
export class ObjectiveThreshold extends OutcomeConstraint {}
