/** One problem of `npm run bench -- bo-suite`, as the harness runs it through the ask/tell Client. */
import type { Parameterization, ParameterSpec, Rng } from "../../src/index.js";

/** What the Client is told for one metric: a bare number (noise unknown) or `[mean, sem]`. */
export type ReportedValue = number | [number, number | null];

/** One evaluation of a problem at an arm. */
export interface Evaluation {
  /** The TRUE (noise-free) objective value, which regrets are computed from. */
  value: number;
  /** Whether the arm satisfies the problem's outcome constraints (true when it has none). */
  feasible: boolean;
  /** What the Client is told, by metric name (noise added here for noisy problems). */
  report: Record<string, ReportedValue>;
}

/** The families of the suite, for reading the table by kind of difficulty. */
export type ProblemFamily =
  | "smooth"
  | "valley"
  | "rugged"
  | "plateau"
  | "deep-basins"
  | "embedded"
  | "mixed"
  | "constrained"
  | "noisy";

/** A minimized problem with a known optimum. */
export interface SuiteProblem {
  /** Key on the command line (`--problems a,b`) and in the results file. */
  key: string;
  /** Row label, e.g. "Branin 2d (30)". */
  label: string;
  family: ProblemFamily;
  /** Number of parameters; the Sobol initialization has max(5, 2·dimension) trials. */
  dimension: number;
  /** Evaluations per run. */
  budget: number;
  parameters: ParameterSpec[];
  /** Outcome constraints as the Client takes them, e.g. `["l1 <= 1"]`. */
  outcomeConstraints?: string[];
  /** The global minimum f* of the true objective. */
  optimalValue: number;
  /**
   * Constrained problems: the largest true objective value on the box; the regret of a run (or a
   * recommendation) with nothing feasible is worstValue − f*.
   */
  worstValue?: number;
  /** Whether a global optimizer has a range parameter on one of its bounds (edge shares are read apart). */
  optimumOnBound: boolean;
  /**
   * Multimodal problems: a run is in the global basin when its final regret is below this (a figure
   * between the global minimum's regret 0 and the best local minimum's, given per problem).
   */
  basinRegret?: number;
  /**
   * Noisy problems: the final regret is the true value of the Client's recommendation; noise-free ones:
   * the best feasible value observed.
   */
  noisy: boolean;
  /** What the regret measures, for the results file and the docs. */
  regretDefinition: string;
  /** Evaluates an arm; `noise` is the run's seeded noise stream. */
  evaluate(parameters: Parameterization, noise: Rng): Evaluation;
}
