import {
  Arm,
  type BaseTrial,
  ChoiceParameter,
  Data,
  Experiment,
  FixedParameter,
  GeneratorRun,
  type JsonValue,
  Metric,
  type MetricOptions,
  MultiObjective,
  MultiObjectiveOptimizationConfig,
  Objective,
  ObjectiveThreshold,
  OptimizationConfig,
  OrderConstraint,
  OutcomeConstraint,
  ParameterConstraint,
  ParameterType,
  type ParameterValue,
  RangeParameter,
  ReportedMetric,
  type RunMetadata,
  Runner,
  SearchSpace,
  SumConstraint,
} from "../../../src/core/index.js";
import { encodeExperiment } from "../../../src/storage/codec/index.js";
import { FakeClock } from "../../../src/util/clock.js";

export const T0 = Date.UTC(2026, 0, 1);

/** A user metric with fields of its own, rebuilt by the default decoder. */
export class LatencyMetric extends Metric {
  readonly endpoint: string;
  readonly percentile: number;
  readonly tags: string[];
  readonly retry: { attempts: number; backoff: number[]; jitter: null };

  constructor(
    options: MetricOptions & {
      endpoint: string;
      percentile?: number;
      tags?: string[];
      retry?: { attempts: number; backoff: number[]; jitter: null };
    },
  ) {
    super(options);
    this.endpoint = options.endpoint;
    this.percentile = options.percentile ?? 0.5;
    this.tags = options.tags ?? [];
    this.retry = options.retry ?? { attempts: 1, backoff: [], jitter: null };
  }

  async fetchTrialData(_trial: BaseTrial): Promise<Data> {
    return Data.empty();
  }
}

/** A user runner with fields, rebuilt by the default decoder. */
export class JobRunner extends Runner {
  readonly queue: string;
  readonly priority: number;

  constructor(options: { queue?: string; priority?: number } = {}) {
    super();
    this.queue = options.queue ?? "default";
    this.priority = options.priority ?? 0;
  }

  async run(trial: BaseTrial): Promise<RunMetadata> {
    return { queue: this.queue, trial: trial.index };
  }
}

/** Like the tutorial's MockJobRunner: no fields, a constructor without arguments. */
export class MockJobRunner extends Runner {
  async run(trial: BaseTrial): Promise<RunMetadata> {
    return { jobId: trial.index };
  }
}

/** Every parameter kind, and linear, order and sum constraints. */
export function richSearchSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [
      new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
      new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15, digits: 3 }),
      new RangeParameter({
        name: "lr",
        parameterType: ParameterType.FLOAT,
        lower: 1e-5,
        upper: 0.1,
        logScale: true,
      }),
      new RangeParameter({ name: "n", parameterType: ParameterType.INT, lower: 1, upper: 10 }),
      new RangeParameter({
        name: "layers",
        parameterType: ParameterType.INT,
        lower: 1,
        upper: 64,
        logScale: true,
      }),
      new ChoiceParameter({ name: "optimizer", values: ["sgd", "adam", "rmsprop"] }),
      new ChoiceParameter({ name: "size", values: ["small", "medium", "large"], isOrdered: true }),
      new ChoiceParameter({ name: "batch", values: [64, 16, 32] }),
      new ChoiceParameter({ name: "ratio", values: [0.5, 0.25, 0.75], isOrdered: false }),
      new ChoiceParameter({ name: "flag", values: [true, false] }),
      new FixedParameter({ name: "seed", value: 7 }),
      new FixedParameter({ name: "mode", value: "fast" }),
      new FixedParameter({ name: "debug", value: false }),
    ],
    parameterConstraints: [
      new ParameterConstraint({ constraintDict: { x1: 1, x2: 2 }, bound: 30 }),
      new OrderConstraint({ lowerParameter: "n", upperParameter: "layers" }),
      new SumConstraint({ parameters: ["x1", "x2"], isUpperBound: false, bound: -3 }),
      new SumConstraint({ parameters: ["x1", "x2"], isUpperBound: true, bound: 20 }),
      new SumConstraint({ parameters: ["n", "layers"], isUpperBound: false, bound: 0 }),
    ],
  });
}

/** A point of {@link richSearchSpace}. */
export function richPoint(
  x1: number,
  overrides: Record<string, ParameterValue> = {},
): Record<string, ParameterValue> {
  return {
    x1,
    x2: 1.5,
    lr: 0.001,
    n: 2,
    layers: 8,
    optimizer: "adam",
    size: "medium",
    batch: 32,
    ratio: 0.25,
    flag: true,
    seed: 7,
    mode: "fast",
    debug: false,
    ...overrides,
  };
}

function oneArm(
  parameters: Record<string, ParameterValue>,
  extra: { name?: string; step?: number | null; generatorName?: string; time?: number } = {},
): GeneratorRun {
  return new GeneratorRun({
    arms: [new Arm({ parameters, ...(extra.name ? { name: extra.name } : {}) })],
    generatorName: extra.generatorName ?? "Sobol",
    generationStepIndex: extra.step === undefined ? 0 : extra.step,
    candidateMetadata: [{ acquisitionValue: 0.5, predicted: { mean: 1.25, sem: null } }],
    metadata: { seed: 3, fitted: true, path: ["a", "b"] },
    timeCreated: extra.time ?? T0,
  });
}

/** A single-objective experiment with constraints, tracking metrics, a user runner and trials of every status. */
export function richExperiment(): { experiment: Experiment; clock: FakeClock } {
  const clock = new FakeClock(T0);
  const latency = new LatencyMetric({
    name: "latency",
    lowerIsBetter: true,
    properties: { unit: "ms", scale: { factor: 2 } },
    endpoint: "https://example.test/latency",
    percentile: 0.99,
    tags: ["prod", "eu"],
    retry: { attempts: 3, backoff: [1, 2, 4], jitter: null },
  });
  const cost = new ReportedMetric({ name: "cost", lowerIsBetter: true });
  const quality = new ReportedMetric({ name: "quality" });
  const experiment = new Experiment({
    name: "rich",
    description: "every part of the model",
    isTest: true,
    properties: { owner: "ml-team", budget: { trials: 20, hours: 1.5 }, tags: ["a", null, true] },
    searchSpace: richSearchSpace(),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: latency, minimize: true }),
      outcomeConstraints: [
        new OutcomeConstraint({ metric: cost, op: "LEQ", bound: 10 }),
        new OutcomeConstraint({ metric: cost, op: "GEQ", bound: 1 }),
        new OutcomeConstraint({ metric: quality, op: "GEQ", bound: -5, relative: true }),
      ],
    }),
    trackingMetrics: [
      new ReportedMetric({ name: "throughput", lowerIsBetter: false }),
      new LatencyMetric({ name: "p50", endpoint: "https://example.test/p50" }),
    ],
    runner: new JobRunner({ queue: "gpu", priority: 5 }),
    clock,
  });
  addTrialsOfEveryStatus(experiment, clock);
  experiment.attachData(
    Data.fromRows([
      { trialIndex: 0, armName: "0_0", metricName: "latency", mean: 12.5, sem: null },
      { trialIndex: 0, armName: "0_0", metricName: "cost", mean: 3, sem: 0 },
      { trialIndex: 0, armName: "0_0", metricName: "quality", mean: -1.25, sem: 0.5 },
      { trialIndex: 3, armName: "3_0", metricName: "latency", mean: 40, sem: 2 },
      { trialIndex: 7, armName: "7_0", metricName: "latency", mean: 11, sem: 0 },
      { trialIndex: 7, armName: "7_1", metricName: "latency", mean: 0, sem: null },
      { trialIndex: 7, armName: "status_quo", metricName: "latency", mean: -3.5, sem: 1e-9 },
    ]),
  );
  experiment.immutableSearchSpaceAndOptConfig = true;
  return { experiment, clock };
}

function addTrialsOfEveryStatus(experiment: Experiment, clock: FakeClock): void {
  const step = (ms = 1_000): void => clock.advance(ms);
  const t0 = experiment.newTrial({ generatorRun: oneArm(richPoint(0)) });
  step();
  t0.markStaged();
  step();
  t0.markRunning().updateRunMetadata({ jobId: 1, host: { name: "worker-1", gpus: [0, 1] } });
  step();
  t0.markCompleted();
  experiment
    .newTrial({ generatorRun: oneArm(richPoint(1), { step: 0 }) })
    .markRunning()
    .markFailed("boom");
  step();
  experiment.newTrial({ generatorRun: oneArm(richPoint(2)) }).markAbandoned("stale");
  const t3 = experiment.newTrial({ generatorRun: oneArm(richPoint(3), { step: 1, generatorName: "BO" }) });
  t3.markRunning();
  step();
  t3.markEarlyStopped("plateau");
  const t4 = experiment.newTrial({ generatorRun: oneArm(richPoint(4), { step: 1 }), ttlSeconds: 3600 });
  t4.markRunning().updateRunMetadata({ jobId: 4 });
  experiment
    .newTrial({ generatorRun: oneArm(richPoint(5), { step: null, generatorName: "Manual" }) })
    .markStaged();
  const t6 = experiment.newTrial({ generatorRun: oneArm(richPoint(6)) });
  t6.properties.note = "candidate";
  t6.properties.nested = { deep: [1, { k: "v" }] };
  const batch = experiment.newBatchTrial({
    generatorRuns: [
      new GeneratorRun({
        arms: [
          new Arm({ parameters: richPoint(7) }),
          new Arm({ parameters: richPoint(7.5, { flag: false }) }),
        ],
        weights: [2, 1],
        generatorName: "BO",
        generationStepIndex: 1,
        candidateMetadata: [{ acq: 1 }, null],
        metadata: { model: "GP" },
        timeCreated: T0 + 5,
      }),
      GeneratorRun.manual([new Arm({ parameters: richPoint(-1), name: "status_quo" })], [0.5], T0 + 6),
    ],
    ttlSeconds: 60,
  });
  batch.markRunning().updateRunMetadata({ batchId: "b-7" });
  step();
  batch.markCompleted();
  experiment.newBatchTrial({
    generatorRuns: [GeneratorRun.manual([new Arm({ parameters: richPoint(8) })], undefined, T0 + 8)],
  });
  experiment.newTrial();
  // The same point as trial 0 again: its arm is named "0_0", as the experiment names repeated points.
  experiment
    .newTrial({ generatorRun: oneArm(richPoint(0), { step: 2 }) })
    .markRunning()
    .markFailed(null);
  experiment.newBatchTrial().markAbandoned("never filled");
}

/** A multi-objective experiment with thresholds (one relative), an outcome constraint and the tutorial-like runner. */
export function mooExperiment(): Experiment {
  const a = new ReportedMetric({ name: "a", lowerIsBetter: true });
  const b = new ReportedMetric({ name: "b" });
  const experiment = new Experiment({
    name: "moo",
    searchSpace: richSearchSpace(),
    optimizationConfig: new MultiObjectiveOptimizationConfig({
      objective: new MultiObjective({
        objectives: [
          new Objective({ metric: a, minimize: true }),
          new Objective({ metric: b, minimize: false }),
        ],
      }),
      outcomeConstraints: [
        new OutcomeConstraint({ metric: new ReportedMetric({ name: "c" }), op: "LEQ", bound: 3 }),
      ],
      objectiveThresholds: [
        new ObjectiveThreshold({ metric: a, op: "LEQ", bound: 5 }),
        new ObjectiveThreshold({ metric: b, op: "GEQ", bound: 1.5, relative: true }),
      ],
    }),
    runner: new MockJobRunner(),
    clock: new FakeClock(T0),
  });
  experiment
    .newTrial({ generatorRun: oneArm(richPoint(1)) })
    .markRunning()
    .markCompleted();
  return experiment;
}

/** `encodeExperiment` through JSON text, as a database column would hold it. */
export function viaJson(experiment: Experiment): JsonValue {
  return JSON.parse(JSON.stringify(encodeExperiment(experiment))) as JsonValue;
}

/** Snapshots of all trials, by index, through JSON text. */
export function trialRows(experiment: Experiment): JsonValue[] {
  return [...experiment.trials.values()].map((t) => JSON.parse(JSON.stringify(t.toJSON())) as JsonValue);
}
