/**
 * A simulated external system for the main job and the crash tests: each trial becomes a "job" that
 * finishes after a random delay. Everything the system needs to know is in the trial's run metadata
 * (when the job finishes), so a Scheduler started in a new process after a crash can poll the jobs that
 * were running, exactly as it would poll a real job queue.
 */
import {
  type BaseTrial,
  branin,
  Data,
  Experiment,
  Metric,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  Rng,
  type RunMetadata,
  Runner,
  Scheduler,
  SearchSpace,
  TrialStatus,
  type TrialStatusMap,
} from "../src/index.js";

/** Starts jobs that finish `minMs` to `maxMs` after they start (seeded per trial). */
export class SimulatedJobRunner extends Runner {
  readonly minMs: number;
  readonly maxMs: number;

  constructor(options: { minMs?: number; maxMs?: number } = {}) {
    super();
    this.minMs = options.minMs ?? 50;
    this.maxMs = options.maxMs ?? 400;
  }

  async run(trial: BaseTrial): Promise<RunMetadata> {
    const duration = this.minMs + new Rng(trial.index + 1).next() * (this.maxMs - this.minMs);
    return { jobId: `job-${trial.index}`, finishesAt: Date.now() + duration };
  }
}

/** Branin of the trial's parameters, as the job would have computed it. */
export class BraninMetric extends Metric {
  async fetchTrialData(trial: BaseTrial): Promise<Data> {
    return Data.fromRows(
      trial.arms.map((arm) => ({
        trialIndex: trial.index,
        armName: arm.name,
        metricName: this.name,
        mean: branin(Number(arm.parameters.x1), Number(arm.parameters.x2)),
        sem: 0,
      })),
    );
  }
}

/** Polls the simulated jobs: a job is COMPLETED once its finishing time has passed. */
export class SimulatedJobScheduler extends Scheduler {
  override async pollTrialStatus(): Promise<TrialStatusMap> {
    const done = new Set<number>();
    const now = Date.now();
    for (const trial of this.runningTrials) {
      if (now >= Number(trial.runMetadata.finishesAt)) done.add(trial.index);
    }
    return new Map([[TrialStatus.COMPLETED, done]]);
  }
}

/** Minimize Branin over x1 ∈ [-5, 10], x2 ∈ [0, 15], deploying to simulated jobs of `minMs`–`maxMs`. */
export function makeBraninJobExperiment(
  name: string,
  jobs: { minMs?: number; maxMs?: number } = {},
): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new BraninMetric({ name: "branin" }), minimize: true }),
    }),
    runner: new SimulatedJobRunner(jobs),
  });
}
