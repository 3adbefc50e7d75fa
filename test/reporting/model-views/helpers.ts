import {
  Arm,
  ChoiceParameter,
  ComparisonOp,
  Data,
  Experiment,
  GeneratorRun,
  MultiObjective,
  Objective,
  ObjectiveThreshold,
  OptimizationConfig,
  OutcomeConstraint,
  type Parameter,
  type Parameterization,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  SearchSpace,
} from "../../../src/core/index.js";
import { Rng } from "../../../src/util/rng.js";

/** A FLOAT range parameter on [lower, upper] (log scale when asked). */
export function float(name: string, lower = 0, upper = 1, logScale = false): RangeParameter {
  return new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower, upper, logScale });
}

/** An INT range parameter. */
export function int(name: string, lower: number, upper: number): RangeParameter {
  return new RangeParameter({ name, parameterType: ParameterType.INT, lower, upper });
}

/** An unordered choice parameter. */
export function choice(name: string, values: string[]): ChoiceParameter {
  return new ChoiceParameter({ name, values, isOrdered: false });
}

export interface ModelExperimentOptions {
  parameters: Parameter[];
  /** Observed values of each metric at an arm's parameters (objective first). */
  evaluate: (p: Parameterization, rng: Rng) => Record<string, number>;
  trials: number;
  /** Objective metric names (two or more: a multi-objective experiment), each minimized unless listed. */
  objectives?: string[];
  maximize?: string[];
  constraints?: { metric: string; op: ComparisonOp; bound: number }[];
  /** Objective thresholds of a multi-objective experiment. */
  thresholds?: { metric: string; op: ComparisonOp; bound: number }[];
  seed?: number;
  /** Observation sem (default null: unknown noise, inferred). */
  sem?: number | null;
  name?: string;
}

/** An experiment of `trials` COMPLETED one-arm trials at seeded uniform random points. */
export function modelExperiment(options: ModelExperimentOptions): Experiment {
  const metrics = new Map<string, ReportedMetric>();
  const metric = (name: string) => {
    if (!metrics.has(name)) metrics.set(name, new ReportedMetric({ name }));
    return metrics.get(name)!;
  };
  const names = options.objectives ?? ["obj"];
  const objectives = names.map(
    (n) => new Objective({ metric: metric(n), minimize: !(options.maximize ?? []).includes(n) }),
  );
  const experiment = new Experiment({
    name: options.name ?? "models",
    searchSpace: new SearchSpace({ parameters: options.parameters }),
    optimizationConfig: new OptimizationConfig({
      objective: objectives.length > 1 ? new MultiObjective({ objectives }) : objectives[0]!,
      objectiveThresholds: (options.thresholds ?? []).map(
        (c) =>
          new ObjectiveThreshold({ metric: metric(c.metric), op: c.op, bound: c.bound, relative: false }),
      ),
      outcomeConstraints: (options.constraints ?? []).map(
        (c) => new OutcomeConstraint({ metric: metric(c.metric), op: c.op, bound: c.bound, relative: false }),
      ),
    }),
  });
  const rng = new Rng(options.seed ?? 1);
  for (let t = 0; t < options.trials; t++) {
    const parameters = randomPoint(options.parameters, rng);
    addCompleted(experiment, parameters, options.evaluate(parameters, rng), options.sem ?? null);
  }
  return experiment;
}

/** Adds a COMPLETED trial of one arm with these observations. */
export function addCompleted(
  experiment: Experiment,
  parameters: Parameterization,
  values: Record<string, number>,
  sem: number | null = null,
): void {
  const run = new GeneratorRun({ arms: [new Arm({ parameters })], generatorName: "Sobol", timeCreated: 0 });
  const trial = experiment.newTrial({ generatorRun: run }).markRunning();
  experiment.attachData(
    Data.fromRows(
      Object.entries(values).map(([metricName, mean]) => ({
        trialIndex: trial.index,
        armName: trial.arm.name!,
        metricName,
        mean,
        sem,
      })),
    ),
  );
  trial.markCompleted();
}

function randomPoint(parameters: readonly Parameter[], rng: Rng): Parameterization {
  const out: Record<string, Parameterization[string]> = {};
  for (const p of parameters) {
    if (p instanceof ChoiceParameter) out[p.name] = p.values[rng.int(p.values.length)]!;
    else if (p instanceof RangeParameter) {
      if (p.parameterType === ParameterType.INT) out[p.name] = p.lower + rng.int(p.upper - p.lower + 1);
      else if (p.logScale) out[p.name] = p.lower * (p.upper / p.lower) ** rng.next();
      else out[p.name] = p.lower + (p.upper - p.lower) * rng.next();
    }
  }
  return out;
}

/** The datasets of a chart's spec by name. */
export function datasets(spec: unknown): Record<string, Record<string, unknown>[]> {
  return (spec as { datasets: Record<string, Record<string, unknown>[]> }).datasets;
}

export { ComparisonOp };
