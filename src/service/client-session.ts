import type { BaseTrial } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentSavepoint } from "../core/experiment-journal.js";
import type { ExperimentStore } from "../core/experiment-store.js";
import { describeValue as describe } from "../core/json.js";
import { ClientError } from "../errors.js";
import { GenerationStrategy } from "../generation/index.js";
import type { ClientStore } from "./client-store.js";

/** The experiment a Client works on, with its generation strategy. */
export interface ClientState {
  experiment: Experiment;
  generationStrategy: GenerationStrategy;
}

/** What a change of the experiment works with. */
export interface MutationContext extends ClientState {
  store: ExperimentStore;
}

/**
 * The Client's experiment and how calls change it: one call at a time, under the store's experiment
 * lock, and all or nothing. A change whose save fails leaves memory (trials, data, arms, the generation
 * strategy) as the store has it, so the same call can simply be made again.
 * @internal
 */
export class ClientSession {
  private state: ClientState | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly stores: ClientStore) {}

  /** The experiment and strategy, or null before one was created or loaded. */
  get current(): ClientState | null {
    return this.state;
  }

  /** Adopts an experiment just created or loaded (and saved or read with this strategy state). */
  adopt(state: ClientState): void {
    this.state = state;
  }

  /** @throws ClientError before an experiment exists. */
  require(): ClientState {
    if (!this.state) throw noExperiment("this method");
    return this.state;
  }

  /** A trial by index. @throws ClientError for an unknown one, saying what exists. */
  findTrial(trialIndex: number, action: string): BaseTrial {
    const { experiment } = this.require();
    const trial = Number.isInteger(trialIndex) ? experiment.trials.get(trialIndex) : undefined;
    if (!trial) {
      const known = experiment.numTrials === 0 ? "it has none" : `indices 0 to ${experiment.numTrials - 1}`;
      throw new ClientError(
        `Cannot ${action} trial ${describe(trialIndex)}: experiment "${experiment.name}" has no such trial (${known}).`,
        Number.isInteger(trialIndex) ? { trialIndex } : {},
      );
    }
    return trial;
  }

  /**
   * Runs a change of the experiment: serialized within this Client, and across processes under the
   * store's experiment lock, after catching up with what other Clients saved (trials, data and the
   * generation strategy's state), so trial indices stay unique and no update is lost. The saves inside
   * `fn` commit together; when anything fails (a save, the commit, or `fn` itself), the experiment and
   * the strategy are put back as they were before `fn`, and the error is thrown.
   */
  mutate<T>(fn: (ctx: MutationContext) => Promise<T>): Promise<T> {
    return this.serialize(async () => {
      const { experiment } = this.require();
      const store = await this.stores.open();
      // Filled inside the lock section; a holder, as the section runs in a callback.
      const open: { savepoint?: ExperimentSavepoint } = {};
      try {
        return await store.withExperimentLock(experiment.name, async () => {
          await store.refreshExperiment(experiment);
          await this.catchUpStrategy(experiment.name);
          open.savepoint = this.savepoint();
          return fn({ ...this.require(), store });
        });
      } catch (error) {
        open.savepoint?.rollback();
        throw error;
      } finally {
        open.savepoint?.release();
      }
    });
  }

  /** Runs `fn` after every call started before it has settled. */
  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A savepoint of the experiment together with the strategy's state at that moment. */
  private savepoint(): ExperimentSavepoint {
    const state = this.require();
    const experimentSavepoint = state.experiment.savepoint();
    const strategyState = state.generationStrategy.toState();
    const strategyText = JSON.stringify(strategyState);
    return {
      release: () => experimentSavepoint.release(),
      rollback: () => {
        experimentSavepoint.rollback();
        // Only a strategy that moved on (it generated) is put back, in place (the same object, as the
        // user may hold it): its generators are rebuilt from their saved state on next use.
        const strategy = state.generationStrategy;
        if (JSON.stringify(strategy.toState()) !== strategyText) strategy.restoreState(strategyState);
        this.stores.noteState(strategyState);
      },
    };
  }

  /** Adopts the stored generation state when another Client changed it since this one last saw it. */
  private async catchUpStrategy(experimentName: string): Promise<void> {
    const state = await this.stores.changedState(experimentName);
    if (state === null) return;
    this.state = {
      experiment: this.require().experiment,
      generationStrategy: GenerationStrategy.fromState(state),
    };
  }
}

/**
 * Reads a stored experiment and its generation strategy state, and notes that state as this Client's.
 * @throws ClientError when the store has no experiment of that name (naming the ones it has) or no
 * generation state for it; StorageError when it cannot be read.
 */
export async function loadClientState(stores: ClientStore, experimentName: string): Promise<ClientState> {
  const store = await stores.open();
  const experiment = await store.loadExperiment(experimentName);
  if (!experiment) {
    const names = await store.listExperiments();
    throw new ClientError(
      `No experiment named "${experimentName}" in ${stores.description}` +
        (names.length ? ` (it has: ${names.slice(0, 10).join(", ")}).` : " (it is empty)."),
    );
  }
  const state = await store.loadGenerationState(experimentName);
  if (state === null) {
    throw new ClientError(`Experiment "${experimentName}" has no stored generation strategy to resume.`);
  }
  stores.noteState(state);
  return { experiment, generationStrategy: GenerationStrategy.fromState(state) };
}

/** The error for a call that needs an experiment before there is one. */
export function noExperiment(what: string): ClientError {
  return new ClientError(
    `The Client has no experiment yet: call createExperiment({ name, parameters, objectives }) before using ${what}.`,
  );
}
