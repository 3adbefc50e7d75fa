/**
 * The soak's experiment: minimize Branin over simulated jobs. A job's whole state is in its run metadata
 * (when it finishes), so a Scheduler started after a SIGKILL polls the jobs that were running, as it would
 * poll a real queue; a job's value is a pure function of its parameters, so the stored data can be
 * checked exactly after any number of kills.
 */
import { writeSync } from "node:fs";
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
  registerMetric,
  registerRunner,
  Scheduler,
  SearchSpace,
  TrialStatus,
  type TrialStatusMap,
} from "../src/index.js";

export const SOAK_METRIC = "branin";

/** What a soak trial's value must be: Branin of its parameters. */
export function expectedValue(parameters: Readonly<Record<string, unknown>>): number {
  return branin(Number(parameters.x1), Number(parameters.x2));
}

/**
 * Writes one event line to stdout synchronously: the line is in the pipe before the process goes on, so
 * the parent sees events in order and a SIGKILL cannot lose one that was written.
 */
export function emit(line: string): void {
  writeSync(1, `${line}\n`);
}

/** Starts a job that finishes 20-200 ms later (seeded per trial); reports each launch as `run <index>`. */
export class SoakJobRunner extends Runner {
  async run(trial: BaseTrial): Promise<RunMetadata> {
    emit(`run ${trial.index}`);
    const duration = 20 + new Rng(trial.index + 1).next() * 180;
    return { jobId: `job-${trial.index}`, finishesAt: Date.now() + duration };
  }
}

/** Branin of the trial's parameters, as the job computed it. */
export class SoakMetric extends Metric {
  async fetchTrialData(trial: BaseTrial): Promise<Data> {
    return Data.fromRows(
      trial.arms.map((arm) => ({
        trialIndex: trial.index,
        armName: arm.name,
        metricName: this.name,
        mean: expectedValue(arm.parameters),
        sem: 0,
      })),
    );
  }
}

/** Polls the simulated jobs: COMPLETED once their finishing time has passed. */
export class SoakScheduler extends Scheduler {
  override async pollTrialStatus(): Promise<TrialStatusMap> {
    const now = Date.now();
    const done = new Set<number>();
    for (const trial of this.runningTrials) {
      if (now >= Number(trial.runMetadata.finishesAt)) done.add(trial.index);
    }
    return new Map([[TrialStatus.COMPLETED, done]]);
  }
}

/** Registers the stored classes, so that an experiment saved by one process loads in another. */
export function registerSoakClasses(): void {
  registerMetric(SoakMetric);
  registerRunner(SoakJobRunner);
}

export function makeSoakExperiment(name: string): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new SoakMetric({ name: SOAK_METRIC }), minimize: true }),
    }),
    runner: new SoakJobRunner(),
  });
}
