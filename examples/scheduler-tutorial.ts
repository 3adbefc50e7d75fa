/**
 * The Ax Scheduler tutorial, in TypeScript: a mock job queue evaluates Branin, a Runner deploys trials
 * to it, a Metric fetches their results, and a Scheduler subclass polls the queue for trial statuses.
 * As in the tutorial, `chooseGenerationStrategy` picks Sobol for 5 trials and Bayesian optimization
 * (BoTorch) from trial 5 on.
 *
 * Run it with `npx tsx examples/scheduler-tutorial.ts`.
 */
import { fileURLToPath } from "node:url";
import {
  type BaseTrial,
  branin,
  type Clock,
  chooseGenerationStrategy,
  Data,
  Experiment,
  experimentToTable,
  Logger,
  type LogSink,
  Metric,
  Objective,
  OptimizationConfig,
  ParameterType,
  type ParameterValue,
  RangeParameter,
  Rng,
  Runner,
  Scheduler,
  SchedulerOptions,
  SearchSpace,
  type Trial,
  TrialStatus,
} from "../src/index.js";

interface MockJob {
  id: number;
  parameters: Readonly<Record<string, ParameterValue>>;
}

/** A stand-in for a real job queue: jobs finish at random (seeded) and report a Branin value. */
export class MockJobQueueClient {
  private readonly jobs = new Map<number, MockJob>();
  private rng: Rng;

  constructor(seed = 0) {
    this.rng = new Rng(seed);
  }

  reset(seed: number): void {
    this.jobs.clear();
    this.rng = new Rng(seed);
  }

  scheduleJobWithParameters(parameters: Readonly<Record<string, ParameterValue>>): number {
    const id = this.jobs.size + 1;
    this.jobs.set(id, { id, parameters });
    return id;
  }

  /** Instead of asking a real system, a job is done with probability 3/4 at each poll. */
  getJobStatus(jobId: number): TrialStatus {
    if (!this.jobs.has(jobId)) throw new Error(`Unknown job ${jobId}`);
    return this.rng.int(4) > 0 ? TrialStatus.COMPLETED : TrialStatus.RUNNING;
  }

  getOutcomeValueForCompletedJob(jobId: number): { branin: number } {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`Unknown job ${jobId}`);
    return { branin: branin(Number(job.parameters.x1), Number(job.parameters.x2)) };
  }
}

const MOCK_JOB_QUEUE_CLIENT = new MockJobQueueClient();

/** The singleton job queue. */
export function getMockJobQueueClient(): MockJobQueueClient {
  return MOCK_JOB_QUEUE_CLIENT;
}

/** Deploys trials to the mock queue. */
export class MockJobRunner extends Runner {
  async run(trial: BaseTrial) {
    const arm = (trial as Trial).arm;
    const jobId = getMockJobQueueClient().scheduleJobWithParameters(arm.parameters);
    // Kept on the trial as `trial.runMetadata` by the Scheduler.
    return { jobId };
  }
}

/** Pulls a trial's Branin value from the mock queue. */
export class BraninForMockJobMetric extends Metric {
  async fetchTrialData(trial: BaseTrial) {
    const t = trial as Trial;
    const value = getMockJobQueueClient().getOutcomeValueForCompletedJob(Number(t.runMetadata.jobId));
    return Data.fromRows([
      // sem null: unknown noise, to be inferred; 0 would declare the function noiseless.
      { trialIndex: t.index, armName: t.arm.name!, metricName: this.name, mean: value.branin, sem: null },
    ]);
  }
}

/** Polls the mock queue for the status of each running trial. */
export class MockJobQueueScheduler extends Scheduler {
  override async pollTrialStatus() {
    const byStatus = new Map<TrialStatus, Set<number>>();
    for (const trial of this.runningTrials) {
      const status = getMockJobQueueClient().getJobStatus(Number(trial.runMetadata.jobId));
      if (!byStatus.has(status)) byStatus.set(status, new Set());
      byStatus.get(status)!.add(trial.index);
    }
    return byStatus;
  }
}

/** Reports what it is doing each time trials complete (the tutorial's last section). */
export class ResultReportingScheduler extends MockJobQueueScheduler {
  override reportResults() {
    return {
      trialsSoFar: this.experiment.numTrials,
      currentlyProducingTrialsFromGenerationStep: this.generationStrategy.currentGeneratorName,
      runningTrials: this.runningTrials.map((t) => t.index),
    };
  }
}

/** The tutorial's experiment: minimize Branin over x1 ∈ [-5, 10], x2 ∈ [0, 15]. */
export function makeBraninExperimentWithRunnerAndMetric(clock?: Clock): Experiment {
  return new Experiment({
    name: "branin_test_experiment",
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new BraninForMockJobMetric({ name: "branin" }), minimize: true }),
    }),
    runner: new MockJobRunner(),
    isTest: true,
    ...(clock ? { clock } : {}),
  });
}

/** Options for {@link runSchedulerTutorial}: tests pass a fake clock and capture the log. */
export interface TutorialOptions {
  seed?: number;
  clock?: Clock;
  logSink?: LogSink;
  print?: (line: string) => void;
}

/** Runs every step of the tutorial and returns what a reader would look at. */
export async function runSchedulerTutorial(options: TutorialOptions = {}) {
  const print = options.print ?? console.log;
  getMockJobQueueClient().reset(options.seed ?? 0);
  const logger = (name: string) =>
    new Logger({
      name,
      ...(options.logSink ? { sink: options.logSink } : {}),
      ...(options.clock ? { now: () => options.clock!.now() } : {}),
    });
  const clock = options.clock ? { clock: options.clock } : {};

  const experiment = makeBraninExperimentWithRunnerAndMetric(options.clock);
  const generationStrategy = chooseGenerationStrategy({
    searchSpace: experiment.searchSpace,
    maxParallelismCap: 3,
    logger: logger("ascent.generation"),
  });
  const scheduler = new MockJobQueueScheduler({
    experiment,
    generationStrategy,
    options: new SchedulerOptions({}),
    logger: logger("MockJobQueueScheduler"),
    ...clock,
  });

  const first = await scheduler.runNTrials({ maxTrials: 3 });
  const tableAfterThree = experimentToTable(experiment);
  print("After the first runNTrials(3):");
  console.table(tableAfterThree);

  const second = await scheduler.runNTrials({ maxTrials: 3 });
  const tableAfterSix = experimentToTable(experiment);
  print("After the second runNTrials(3):");
  console.table(tableAfterSix);

  const timedOut = await scheduler.runNTrials({ maxTrials: 3, timeoutHours: 0.00001 });

  const reportingExperiment = makeBraninExperimentWithRunnerAndMetric(options.clock);
  const reportingScheduler = new ResultReportingScheduler({
    experiment: reportingExperiment,
    generationStrategy: chooseGenerationStrategy({
      searchSpace: reportingExperiment.searchSpace,
      maxParallelismCap: 3,
      logger: logger("ascent.generation"),
    }),
    options: new SchedulerOptions({}),
    logger: logger("ResultReportingScheduler"),
    ...clock,
  });
  const reports: unknown[] = [];
  for await (const report of reportingScheduler.runTrialsAndYieldResults({ maxTrials: 6 })) {
    print(`Reported result: ${JSON.stringify(report)}`);
    reports.push(report);
  }

  return {
    experiment,
    first,
    second,
    timedOut,
    tableAfterThree,
    tableAfterSix,
    reportingExperiment,
    reports,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runSchedulerTutorial();
}
