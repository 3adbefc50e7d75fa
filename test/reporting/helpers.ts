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
  type Parameterization,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  SearchSpace,
  type Trial,
} from "../../src/core/index.js";
import { FakeClock } from "../../src/util/clock.js";

/**
 * x in [0, 10] (float), kind in {a, b}; minimize or maximize "obj" subject to the given constraints, or
 * with `multiObjective` minimize "obj" and maximize "obj2" (with optional objective thresholds).
 */
export function makeExperiment(
  options: {
    minimize?: boolean;
    constraints?: { metric: string; op: ComparisonOp; bound: number; relative?: boolean }[];
    tracking?: string[];
    multiObjective?: boolean;
    thresholds?: { obj?: number; obj2?: number };
  } = {},
): Experiment {
  const metrics = new Map<string, ReportedMetric>();
  const metric = (name: string): ReportedMetric => {
    let m = metrics.get(name);
    if (!m) {
      m = new ReportedMetric({ name });
      metrics.set(name, m);
    }
    return m;
  };
  const objective = options.multiObjective
    ? new MultiObjective({
        objectives: [
          new Objective({ metric: metric("obj"), minimize: true }),
          new Objective({ metric: metric("obj2"), minimize: false }),
        ],
      })
    : new Objective({ metric: metric("obj"), minimize: options.minimize ?? true });
  const thresholds: ObjectiveThreshold[] = [];
  const { obj, obj2 } = options.thresholds ?? {};
  if (obj !== undefined)
    thresholds.push(new ObjectiveThreshold({ metric: metric("obj"), op: "LEQ", bound: obj }));
  if (obj2 !== undefined)
    thresholds.push(new ObjectiveThreshold({ metric: metric("obj2"), op: "GEQ", bound: obj2 }));
  return new Experiment({
    name: "exp",
    clock: new FakeClock(),
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 10 }),
        new ChoiceParameter({ name: "kind", values: ["a", "b"], isOrdered: false }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective,
      objectiveThresholds: thresholds,
      outcomeConstraints: (options.constraints ?? []).map(
        (c) =>
          new OutcomeConstraint({
            metric: metric(c.metric),
            op: c.op,
            bound: c.bound,
            relative: c.relative ?? false,
          }),
      ),
    }),
    trackingMetrics: (options.tracking ?? []).map((n) => new ReportedMetric({ name: n })),
  });
}

/** Adds a RUNNING one-arm trial made by `generatorName`. */
export function addTrial(
  experiment: Experiment,
  parameters: Parameterization,
  generatorName = "Sobol",
): Trial {
  const run = new GeneratorRun({ arms: [new Arm({ parameters })], generatorName, timeCreated: 0 });
  return experiment.newTrial({ generatorRun: run }).markRunning();
}

/** Attaches means for the trial's first arm, with the given sem (default null: unknown noise). */
export function attach(
  experiment: Experiment,
  trial: Trial,
  values: Record<string, number>,
  sem: number | null = null,
): void {
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
}

/** A COMPLETED trial at (x, kind) with these observations (sem null unless given). */
export function completed(
  experiment: Experiment,
  x: number,
  values: Record<string, number>,
  kind = "a",
  sem: number | null = null,
): Trial {
  const trial = addTrial(experiment, { x, kind });
  attach(experiment, trial, values, sem);
  return trial.markCompleted();
}

export { ComparisonOp };
