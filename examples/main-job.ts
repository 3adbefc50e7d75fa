/**
 * The main job (`npm start`): the Scheduler tutorial's Branin optimization, run to 20 trials with up to
 * three at a time, printing each trial as it completes, then the table of all trials and the best point.
 */
import { fileURLToPath } from "node:url";
import {
  abortOnInterrupt,
  bestPoint,
  chooseGenerationStrategy,
  experimentToTable,
  Logger,
  LogLevel,
  MemoryStore,
  SchedulerOptions,
  TrialStatus,
} from "../src/index.js";
import {
  getMockJobQueueClient,
  MockJobQueueScheduler,
  makeBraninExperimentWithRunnerAndMetric,
} from "./scheduler-tutorial.js";

/** Prints every trial once, when it completes. */
class PrintingScheduler extends MockJobQueueScheduler {
  private readonly printed = new Set<number>();

  override reportResults() {
    for (const index of this.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)) {
      if (this.printed.has(index)) continue;
      this.printed.add(index);
      const trial = this.experiment.getTrial(index);
      const value = this.experiment.lookupTrialData(index).rows[0]?.mean;
      const params = Object.entries(trial.arms[0]!.parameters)
        .map(([k, v]) => `${k}=${Number(v).toFixed(4)}`)
        .join(", ");
      console.log(
        `  trial ${String(index).padStart(2)} [${trial.generatorName}] ${params} -> branin = ${value?.toFixed(4)}`,
      );
    }
    return { success: true, completed: this.printed.size };
  }
}

/** Runs the demo; returns the experiment for callers that want to inspect it. */
export async function runMainJob(options: { totalTrials?: number; quiet?: boolean } = {}) {
  const totalTrials = options.totalTrials ?? 20;
  getMockJobQueueClient().reset(0);
  const experiment = makeBraninExperimentWithRunnerAndMetric();
  const store = new MemoryStore();
  const logLevel = options.quiet ? LogLevel.WARNING : LogLevel.INFO;
  const scheduler = new PrintingScheduler({
    experiment,
    generationStrategy: chooseGenerationStrategy({
      searchSpace: experiment.searchSpace,
      maxParallelismCap: 3,
      seed: 0,
      logger: new Logger({ name: "ascent.generation", level: logLevel }),
    }),
    options: new SchedulerOptions({
      totalTrials,
      initSecondsBetweenPolls: 0.05,
      minSecondsBeforePoll: 0,
      loggingLevel: logLevel,
    }),
    store,
  });
  console.log(`Minimizing Branin with ${totalTrials} trials, up to 3 running at once (in-memory store).`);
  // Ctrl-C stops launching trials and returns with what is done; a second Ctrl-C exits at once.
  const interrupt = abortOnInterrupt({
    onInterrupt: () => console.log("\nInterrupted: finishing up (press Ctrl-C again to exit now)."),
  });
  const result = await scheduler.runAllTrials({ signal: interrupt.signal }).finally(interrupt.dispose);
  console.log("\nAll trials:");
  console.table(experimentToTable(experiment));
  const best = bestPoint(experiment);
  if (best) {
    console.log(
      `Best point: trial ${best.trialIndex} (${best.armName}) ${JSON.stringify(best.parameters)} -> branin = ${best.values.branin}`,
    );
    console.log("Known optimum of Branin: 0.397887.");
  }
  return { experiment, result, best };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runMainJob();
}
