/**
 * One process of the kill-and-resume soak: opens the store, resumes the stored experiment when there is
 * one (as a resumable job would) or starts it, and runs the Scheduler to the end, unless the parent kills
 * it first. It reports on stdout, synchronously, what the parent needs to kill it at a chosen moment and
 * to check the outcome afterwards:
 *   ready | opened | mode start|resume | call <store method> | commit <json of what was committed> |
 *   run <trial index> | resume-failed <message> | error <message> | done
 *
 *   node --import tsx bench/soak-child.ts '<json of SoakChildConfig>'
 */

import { SimulatedJobScheduler } from "../examples/simulated-jobs.js";
import type { BaseTrial, Data, Experiment, ExperimentStore, StoreProvider } from "../src/index.js";
import { chooseGenerationStrategy, DBSettings, LogLevel, SchedulerOptions } from "../src/index.js";
import { emit, makeSoakExperiment, registerSoakClasses } from "./soak-experiment.js";

/** What the parent passes to a child. */
export interface SoakChildConfig {
  url: string;
  schema?: string;
  experimentName: string;
  trials: number;
  parallelism: number;
  seed: number;
}

/** What one transaction (or one write outside a transaction) made durable. */
export interface Commit {
  experiment: boolean;
  state: boolean;
  /** [trial index, status] as saved. */
  trials: [number, string][];
  /** Trial indices of the data rows saved. */
  data: number[];
}

const WRITES = new Set([
  "createExperiment",
  "saveExperiment",
  "saveTrials",
  "saveData",
  "saveGenerationState",
  "deleteExperiment",
]);

function emptyCommit(): Commit {
  return { experiment: false, state: false, trials: [], data: [] };
}

/** Adds what a write call will save (read at call time: the trial objects change afterwards). */
function record(commit: Commit, method: string, args: unknown[]): void {
  if (method === "createExperiment" || method === "saveExperiment") {
    commit.experiment = true;
    const experiment = args[0] as Experiment;
    for (const t of experiment.trials.values()) commit.trials.push([t.index, t.status]);
  }
  if (method === "createExperiment" || method === "saveGenerationState") commit.state = true;
  if (method === "saveTrials") {
    for (const t of args[1] as readonly BaseTrial[]) commit.trials.push([t.index, t.status]);
  }
  if (method === "saveData") commit.data.push(...new Set((args[1] as Data).rows.map((r) => r.trialIndex)));
}

/**
 * The store, with every write reported: `call <method>` when it starts, `commit <json>` once it is durable
 * (when the outermost transaction around it resolved, or the write itself outside a transaction).
 */
function instrument(store: ExperimentStore): ExperimentStore {
  let depth = 0;
  let pending = emptyCommit();
  const committed = (): void => {
    const c = pending;
    pending = emptyCommit();
    if (c.experiment || c.state || c.trials.length > 0 || c.data.length > 0)
      emit(`commit ${JSON.stringify(c)}`);
  };
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      const method = String(property);
      if (method === "withTransaction") {
        return async <T>(fn: () => Promise<T>): Promise<T> => {
          depth++;
          try {
            const result = await target.withTransaction(fn);
            if (--depth === 0) committed();
            return result;
          } catch (error) {
            if (--depth === 0) pending = emptyCommit();
            throw error;
          }
        };
      }
      if (!WRITES.has(method)) return value.bind(target);
      return async (...args: unknown[]) => {
        emit(`call ${method}`);
        record(pending, method, args);
        try {
          const result: unknown = await value.apply(target, args);
          if (depth === 0) committed();
          return result;
        } catch (error) {
          if (depth === 0) pending = emptyCommit();
          throw error;
        }
      };
    },
  });
}

/** Opens the store once, instrumented. */
function instrumentedProvider(settings: DBSettings): StoreProvider {
  let opened: Promise<ExperimentStore> | null = null;
  return {
    description: settings.description,
    openStore: () => {
      opened ??= settings.openStore().then(instrument);
      return opened;
    },
  };
}

function message(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s+/g, " ");
}

async function main(config: SoakChildConfig): Promise<number> {
  registerSoakClasses();
  emit("ready");
  const provider = instrumentedProvider(
    new DBSettings({ url: config.url, ...(config.schema ? { schema: config.schema } : {}) }),
  );
  const store = await provider.openStore();
  emit("opened");
  const options = new SchedulerOptions({
    totalTrials: config.trials,
    initSecondsBetweenPolls: 0.02,
    secondsBetweenPollsBackoffFactor: 1,
    minSecondsBeforePoll: 0,
    loggingLevel: LogLevel.WARNING,
  });
  let scheduler: SimulatedJobScheduler;
  if ((await store.listExperiments()).includes(config.experimentName)) {
    emit("mode resume");
    try {
      scheduler = await SimulatedJobScheduler.fromStoredExperiment({
        experimentName: config.experimentName,
        dbSettings: provider,
        options,
      });
    } catch (error) {
      emit(`resume-failed ${message(error)}`);
      return 3;
    }
  } else {
    emit("mode start");
    const experiment = makeSoakExperiment(config.experimentName);
    scheduler = new SimulatedJobScheduler({
      experiment,
      generationStrategy: chooseGenerationStrategy({
        searchSpace: experiment.searchSpace,
        maxParallelismCap: config.parallelism,
        seed: config.seed,
      }),
      options,
      dbSettings: provider,
    });
  }
  await scheduler.runAllTrials();
  emit("done");
  await store.close();
  return 0;
}

const config = JSON.parse(process.argv[2] ?? "{}") as SoakChildConfig;
main(config).then(
  (code) => process.exit(code),
  (error: unknown) => {
    emit(`error ${message(error)}`);
    process.exit(1);
  },
);
