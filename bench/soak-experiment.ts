/**
 * The soak's experiment: minimize Branin over simulated jobs. A job's whole state is in its run metadata
 * (when it finishes), so a Scheduler started after a SIGKILL polls the jobs that were running, as it would
 * poll a real queue; a job's value is a pure function of its parameters, so the stored data can be
 * checked exactly after any number of kills.
 */
import { writeSync } from "node:fs";
import { BraninMetric, makeBraninJobExperiment, SimulatedJobRunner } from "../examples/simulated-jobs.js";
import {
  type BaseTrial,
  branin,
  type Experiment,
  type RunMetadata,
  registerMetric,
  registerRunner,
} from "../src/index.js";

/** The soak's objective: the simulated jobs' Branin metric. */
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

/** The main job's simulated jobs, 20-200 ms long, reporting each launch as `run <index>`. */
export class SoakJobRunner extends SimulatedJobRunner {
  constructor() {
    super({ minMs: 20, maxMs: 200 });
  }

  override async run(trial: BaseTrial): Promise<RunMetadata> {
    emit(`run ${trial.index}`);
    return super.run(trial);
  }
}

/** Registers the stored classes, so that an experiment saved by one process loads in another. */
export function registerSoakClasses(): void {
  registerMetric(BraninMetric);
  registerRunner(SoakJobRunner, { encode: () => ({}), decode: () => new SoakJobRunner() });
}

/** Minimize Branin over the simulated jobs, each launch reported. */
export function makeSoakExperiment(name: string): Experiment {
  const experiment = makeBraninJobExperiment(name);
  experiment.runner = new SoakJobRunner();
  return experiment;
}
