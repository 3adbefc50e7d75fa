/** A kind of chart `experimentCharts` can produce, with a one-line summary for help texts. */
export interface PlotKind {
  readonly kind: string;
  readonly summary: string;
  /** Whether the chart draws a fitted model (slower: the model is fitted first). */
  readonly model: boolean;
}

/**
 * Every chart kind, in reading order. Kept free of imports so command-line help can list the kinds
 * without loading the chart code.
 */
export const PLOT_KINDS: readonly PlotKind[] = [
  {
    kind: "optimization-trace",
    summary: "each observation and the best feasible so far by trial (hypervolume for several objectives)",
    model: false,
  },
  {
    kind: "optimization-trace-by-time",
    summary: "the same by seconds since the first trial started",
    model: false,
  },
  {
    kind: "parallel-coordinates",
    summary: "every completed arm across one axis per parameter, coloured by the objective",
    model: false,
  },
  {
    kind: "metric-trace",
    summary: "each outcome-constraint metric by trial, with its bound (one chart per constraint)",
    model: false,
  },
  {
    kind: "learning-curves",
    summary: "each trial's intermediate results by step (or epoch ...), coloured by status",
    model: false,
  },
  {
    kind: "slices",
    summary: "the model's predicted mean ± 2 SE along each parameter through the best point",
    model: true,
  },
  {
    kind: "contour",
    summary: "predicted mean and standard error over the two most important range parameters",
    model: true,
  },
  {
    kind: "parameter-importance",
    summary: "Sobol indices (total and first order) of the model's predicted mean, by parameter",
    model: true,
  },
  {
    kind: "cross-validation",
    summary: "leave-one-out predictions against observations, with the verdict on the model",
    model: true,
  },
  {
    kind: "pareto-frontier",
    summary: "two objectives: every observation, the observed and the model-predicted Pareto frontiers",
    model: true,
  },
];
