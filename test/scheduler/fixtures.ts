import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { Data } from "../../src/core/data.js";
import { Experiment } from "../../src/core/experiment.js";
import { Metric } from "../../src/core/metric.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ComparisonOp, OutcomeConstraint } from "../../src/core/outcome-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import {
  type CapacityReporter,
  Runner,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
} from "../../src/core/runner.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { branin } from "../../src/numerics/test-functions.js";
import { Scheduler } from "../../src/scheduler/index.js";
import { FakeClock } from "../../src/util/clock.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

/** A job on the fake queue. */
export interface Job {
  readonly id: number;
  readonly trialIndex: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  status: TrialStatus;
  polls: number;
}

/**
 * A fake external system, like the tutorial's MockJobQueueClient but deterministic: a job's status is
 * decided by `policy` at each poll (default: COMPLETED at the first poll), or set by the test.
 */
export class FakeJobQueue {
  readonly jobs = new Map<number, Job>();
  private nextId = 1000;
  /** Decides the status a RUNNING job reports at a poll. */
  policy: (job: Job) => TrialStatus = () => TrialStatus.COMPLETED;
  /** Every status query, by job id. */
  readonly queries: number[] = [];

  schedule(trialIndex: number, parameters: Readonly<Record<string, unknown>>): number {
    const id = this.nextId++;
    this.jobs.set(id, { id, trialIndex, parameters, status: TrialStatus.RUNNING, polls: 0 });
    return id;
  }

  status(id: number): TrialStatus {
    this.queries.push(id);
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    if (job.status === TrialStatus.RUNNING) {
      job.polls++;
      job.status = this.policy(job);
    }
    return job.status;
  }

  jobOf(trial: BaseTrial): Job {
    return this.jobs.get(Number(trial.runMetadata.jobId))!;
  }

  /** Number of jobs still RUNNING on the queue. */
  get numRunning(): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.status === TrialStatus.RUNNING) n++;
    return n;
  }
}

/** Completes a job after it was polled `n` times. */
export function completeAfterPolls(n: number): (job: Job) => TrialStatus {
  return (job) => (job.polls >= n ? TrialStatus.COMPLETED : TrialStatus.RUNNING);
}

/** Deploys trials to a FakeJobQueue; can be told to throw on its first calls. */
export class JobRunner extends Runner {
  readonly queue: FakeJobQueue;
  /** Number of next `run` calls that throw. */
  failNext = 0;
  /** Trial indices whose `run` always throws. */
  readonly alwaysFail = new Set<number>();
  readonly runCalls: number[] = [];

  constructor(queue: FakeJobQueue) {
    super();
    this.queue = queue;
  }

  async run(trial: BaseTrial): Promise<RunMetadata> {
    this.runCalls.push(trial.index);
    if (this.alwaysFail.has(trial.index)) throw new Error(`cluster rejected trial ${trial.index}`);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("queue temporarily unavailable");
    }
    const parameters = trial.arms[0]?.parameters ?? {};
    return { jobId: this.queue.schedule(trial.index, parameters) };
  }
}

/** A runner that also polls, reports capacity and stops trials (the runner-side capabilities). */
export class CapableJobRunner extends JobRunner implements TrialStatusPoller, CapacityReporter, TrialStopper {
  capacity = -1;
  readonly polled: number[][] = [];
  readonly stopped: number[] = [];
  /** Throws when a poll includes one of these trials. */
  readonly unpollable = new Set<number>();

  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    this.polled.push(trials.map((t) => t.index));
    for (const t of trials)
      if (this.unpollable.has(t.index)) throw new Error(`lost track of trial ${t.index}`);
    return statusMapOf(trials, (t) => this.queue.status(Number(t.runMetadata.jobId)));
  }

  async pollAvailableCapacity(): Promise<number> {
    return this.capacity === -1 ? -1 : Math.max(0, this.capacity - this.queue.numRunning);
  }

  async stop(trial: BaseTrial): Promise<RunMetadata | undefined> {
    this.stopped.push(trial.index);
    const job = this.queue.jobOf(trial);
    job.status = TrialStatus.EARLY_STOPPED;
    return undefined;
  }
}

/** Groups trials by the status `statusOf` gives them. */
export function statusMapOf(
  trials: readonly BaseTrial[],
  statusOf: (t: BaseTrial) => TrialStatus,
): TrialStatusMap {
  const map: TrialStatusMap = new Map();
  for (const t of trials) {
    const s = statusOf(t);
    const set = map.get(s) ?? new Set<number>();
    set.add(t.index);
    map.set(s, set);
  }
  return map;
}

/** The tutorial's subclass: polls the job queue itself for `this.runningTrials`. */
export class MockJobQueueScheduler extends Scheduler {
  override async pollTrialStatus(): Promise<TrialStatusMap> {
    const queue = (this.experiment.runner as JobRunner).queue;
    return statusMapOf(this.runningTrials, (t) => queue.status(Number(t.runMetadata.jobId)));
  }
}

/** Errors a metric can be told to throw. */
export class TransientFetchError extends Error {}

/** Branin of the trial's arms; can fail for chosen trials, transiently or for good, or return NaN. */
export class BraninMetric extends Metric {
  readonly failFor = new Map<number, "fatal" | "transient" | "nan">();
  readonly fetched: number[] = [];

  override async fetchTrialData(trial: BaseTrial): Promise<Data> {
    this.fetched.push(trial.index);
    const mode = this.failFor.get(trial.index);
    if (mode === "fatal") throw new Error(`results of trial ${trial.index} are corrupt`);
    if (mode === "transient") throw new TransientFetchError("results not uploaded yet");
    return Data.fromRows(
      trial.arms.map((arm) => ({
        trialIndex: trial.index,
        armName: arm.name!,
        metricName: this.name,
        mean: mode === "nan" ? Number.NaN : branin(Number(arm.parameters.x1), Number(arm.parameters.x2)),
        sem: null,
      })),
    );
  }

  override isRecoverableFetchError(error: unknown): boolean {
    return error instanceof TransientFetchError;
  }
}

/** A metric that always throws (for tracking-metric failures). */
export class BrokenMetric extends Metric {
  override async fetchTrialData(): Promise<Data> {
    throw new Error("tracking backend down");
  }
}

/** Captures log lines. */
export function captureLogger(level: LogLevel = LogLevel.DEBUG): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ name: "test", level, sink: (line) => lines.push(line) });
  return { logger, lines };
}

/** Log lines without their `[LEVEL date] Name: ` prefix, keeping the level: `INFO Running trials [0]...`. */
export function messages(lines: readonly string[], minLevel: "DEBUG" | "INFO" = "INFO"): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const m = /^\[(\w+) [^\]]+\] [^:]+: (.*)$/s.exec(line);
    if (!m) continue;
    if (minLevel === "INFO" && m[1] === "DEBUG") continue;
    out.push(`${m[1]} ${m[2]}`);
  }
  return out;
}

/** Everything a test needs: experiment on a fake clock, queue, runner, metric, logger. */
export interface Fixture {
  clock: FakeClock;
  queue: FakeJobQueue;
  runner: JobRunner;
  metric: BraninMetric;
  experiment: Experiment;
  logger: Logger;
  lines: string[];
}

/** The tutorial's Branin experiment (minimize branin over x1 ∈ [-5, 10], x2 ∈ [0, 15]). */
export function makeFixture(
  options: {
    runner?: "plain" | "capable";
    constraint?: boolean;
    trackingMetrics?: Metric[];
    discrete?: boolean;
    name?: string;
  } = {},
): Fixture {
  const clock = new FakeClock();
  const queue = new FakeJobQueue();
  const runner = options.runner === "capable" ? new CapableJobRunner(queue) : new JobRunner(queue);
  const metric = new BraninMetric({ name: "branin" });
  const parameters = options.discrete
    ? [
        new ChoiceParameter({ name: "x1", values: [0, 1] }),
        new ChoiceParameter({ name: "x2", values: [2, 3] }),
      ]
    : [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ];
  const outcomeConstraints = options.constraint
    ? [
        new OutcomeConstraint({
          metric: new BraninMetric({ name: "cost" }),
          op: ComparisonOp.LEQ,
          bound: 100,
        }),
      ]
    : [];
  const experiment = new Experiment({
    name: options.name ?? "branin_test_experiment",
    searchSpace: new SearchSpace({ parameters }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric, minimize: true }),
      outcomeConstraints,
    }),
    runner,
    trackingMetrics: options.trackingMetrics ?? [],
    isTest: true,
    clock,
  });
  const { logger, lines } = captureLogger();
  return { clock, queue, runner, metric, experiment, logger, lines };
}

/** Sobol for every trial, optionally with a parallelism limit (like choose_generation_strategy's cap). */
export function sobolStrategy(maxParallelism: number | null = null, numTrials = -1): GenerationStrategy {
  return new GenerationStrategy({
    steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials, maxParallelism })],
    seed: 0,
  });
}

/** Indices of the experiment's trials in `status`, ascending. */
export function indicesWith(experiment: Experiment, status: TrialStatus): number[] {
  return [...experiment.trialIndicesWithStatus(status)].sort((a, b) => a - b);
}
