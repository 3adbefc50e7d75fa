/**
 * The main job (`npm start`): minimizes Branin with the Scheduler, deploying trials to a simulated job
 * queue (up to three at a time) and storing every change in the embedded SQLite store `./ascent.db`.
 * The default strategy proposes the first 5 trials quasi-randomly (Sobol), then uses Bayesian
 * optimization (BoTorch); each printed trial names its generator. Each run adds 30 trials (the budget of the Branin benchmark); running it
 * again resumes the stored experiment, and its strategy, instead of starting over.
 *
 *   npm start                    # run (or resume) the demo
 *   npm start -- --fresh         # delete the stored demo experiment first
 *   npm start -- --trials 50     # add 50 trials instead of 30
 *   ASCENT_DB=postgres://... npm start   # store in PostgreSQL instead
 */
import { fileURLToPath } from "node:url";
import {
  abortOnInterrupt,
  bestPoint,
  chooseGenerationStrategy,
  DBSettings,
  type Experiment,
  experimentToTable,
  type GenerationStrategy,
  Logger,
  LogLevel,
  registerMetric,
  registerRunner,
  SchedulerOptions,
  TrialStatus,
} from "../src/index.js";
import {
  BraninMetric,
  makeBraninJobExperiment,
  SimulatedJobRunner,
  SimulatedJobScheduler,
} from "./simulated-jobs.js";

export const DEMO_EXPERIMENT = "branin_demo";

/**
 * Prints every trial once, when it completes, with the generator that proposed it: [Sobol] for the
 * quasi-random initialization, [BoTorch] for Bayesian optimization (with the model's prediction).
 */
class PrintingScheduler extends SimulatedJobScheduler {
  private readonly printed = new Set<number>();

  /** Trials completed before this run (when resuming) are not printed again. */
  skipCompletedTrials(): void {
    for (const index of this.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED))
      this.printed.add(index);
  }

  override reportResults() {
    const completed = [...this.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)].sort(
      (a, b) => a - b,
    );
    for (const index of completed) {
      if (this.printed.has(index)) continue;
      this.printed.add(index);
      console.log(describeTrial(this.experiment, index));
    }
    return { success: true, completed: this.printed.size };
  }
}

/** One line per trial: index, generator, parameters, value, and for BoTorch the predicted value. */
function describeTrial(experiment: Experiment, index: number): string {
  const trial = experiment.getTrial(index);
  const value = experiment.lookupTrialData(index).rows[0]?.mean;
  const params = Object.entries(trial.arms[0]!.parameters)
    .map(([k, v]) => `${k}=${Number(v).toFixed(4)}`)
    .join(", ");
  const meta = trial.generatorRuns[0]?.candidateMetadata[0];
  const predicted =
    typeof meta?.predictedMean === "number" && typeof meta.predictedSem === "number"
      ? ` (model predicted ${meta.predictedMean.toFixed(2)} ± ${meta.predictedSem.toFixed(2)})`
      : "";
  const generator = `[${trial.generatorName}]`.padEnd(9);
  return `  trial ${String(index).padStart(3)} ${generator} ${params} -> branin = ${value?.toFixed(4)}${predicted}`;
}

/** How the strategy makes trials, e.g. "Sobol for 5 trials, then BoTorch (Bayesian optimization)". */
function describeStrategy(strategy: GenerationStrategy): string {
  const steps = strategy.steps.map((step, i) => {
    const what = step.generatorName === "BoTorch" ? "BoTorch (Bayesian optimization)" : step.generatorName;
    return step.isUnlimited ? `${i === 0 ? "" : "then "}${what}` : `${what} for ${step.numTrials} trials`;
  });
  return `${steps.join(", ")}; now at ${strategy.currentGeneratorName}`;
}

/** Options of {@link runMainJob}. */
export interface MainJobOptions {
  /** Trials to add in this run (default 30). */
  trials?: number;
  /** Where to store (default `$ASCENT_DB` or `sqlite:./ascent.db`). */
  dbUrl?: string;
  /** Delete the stored demo experiment first. */
  fresh?: boolean;
  /** Log warnings only. */
  quiet?: boolean;
}

/** Runs (or resumes) the demo; returns the experiment and the best point. */
export async function runMainJob(options: MainJobOptions = {}) {
  registerMetric(BraninMetric);
  registerRunner(SimulatedJobRunner);
  const trials = options.trials ?? 30;
  const dbSettings = new DBSettings({ url: options.dbUrl ?? process.env.ASCENT_DB ?? "sqlite:./ascent.db" });
  const store = await dbSettings.openStore();
  const level = options.quiet ? LogLevel.WARNING : LogLevel.INFO;
  const schedulerOptions = new SchedulerOptions({
    initSecondsBetweenPolls: 0.05,
    minSecondsBeforePoll: 0,
    loggingLevel: level,
  });
  try {
    if (options.fresh && (await store.listExperiments()).includes(DEMO_EXPERIMENT)) {
      await store.deleteExperiment(DEMO_EXPERIMENT);
      console.log(`Deleted the stored experiment "${DEMO_EXPERIMENT}"; starting fresh.`);
    }
    let scheduler: PrintingScheduler;
    if ((await store.listExperiments()).includes(DEMO_EXPERIMENT)) {
      scheduler = await PrintingScheduler.fromStoredExperiment({
        experimentName: DEMO_EXPERIMENT,
        dbSettings,
        options: schedulerOptions,
      });
      scheduler.skipCompletedTrials();
      const e = scheduler.experiment;
      const best = bestPoint(e);
      console.log(
        `Resuming experiment "${DEMO_EXPERIMENT}" stored in ${dbSettings.description}: ${e.numTrials} trials so far ` +
          `(${e.countTrialsWithStatus(TrialStatus.COMPLETED)} completed, ${e.runningTrials.length} still running)` +
          `${best ? `, best branin so far ${best.values.branin?.toFixed(4)} (trial ${best.trialIndex})` : ""}. ` +
          `Adding ${trials} more. (Start fresh with: npm start -- --fresh)`,
      );
    } else {
      const experiment = makeBraninJobExperiment(DEMO_EXPERIMENT, { minMs: 20, maxMs: 200 });
      scheduler = new PrintingScheduler({
        experiment,
        generationStrategy: chooseGenerationStrategy({
          searchSpace: experiment.searchSpace,
          maxParallelismCap: 3,
          seed: 0,
          logger: new Logger({ name: "ascent.generation", level }),
        }),
        options: schedulerOptions,
        dbSettings,
      });
      console.log(
        `Minimizing Branin: ${trials} trials, up to 3 at once, stored in ${dbSettings.description} (experiment "${DEMO_EXPERIMENT}").`,
      );
    }
    console.log(`Generation strategy: ${describeStrategy(scheduler.generationStrategy)}.`);
    // Ctrl-C stops launching trials and returns with what is done; a second Ctrl-C exits at once.
    const interrupt = abortOnInterrupt({
      onInterrupt: () => console.log("\nInterrupted: saving and stopping (press Ctrl-C again to exit now)."),
    });
    const result = await scheduler
      .runNTrials({ maxTrials: trials, signal: interrupt.signal })
      .finally(interrupt.dispose);
    const experiment = scheduler.experiment;
    console.log(`\nAll ${experiment.numTrials} trials of "${DEMO_EXPERIMENT}":`);
    console.table(experimentToTable(experiment));
    const best = bestPoint(experiment);
    if (best) {
      console.log(
        `Best point: trial ${best.trialIndex} (${best.armName}) ${JSON.stringify(best.parameters)} -> branin = ${best.values.branin}`,
      );
      console.log("Known optimum of Branin: 0.397887. Run again to add trials to the same experiment.");
    }
    return { experiment, result, best };
  } finally {
    await store.close();
  }
}

function parseArgs(argv: readonly string[]): MainJobOptions {
  const options: MainJobOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--fresh") options.fresh = true;
    else if (arg === "--quiet") options.quiet = true;
    else if (arg === "--trials" && argv[i + 1] !== undefined) options.trials = Number(argv[++i]);
    else if (arg === "--db" && argv[i + 1] !== undefined) options.dbUrl = argv[++i]!;
    else throw new Error(`Unknown argument ${arg}. Use --fresh, --trials N, --db URL, --quiet.`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runMainJob(parseArgs(process.argv.slice(2)));
}
