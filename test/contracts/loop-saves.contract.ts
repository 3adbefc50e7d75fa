import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Experiment } from "../../src/core/experiment.js";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import type { TrialStatusMap } from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerOptions } from "../../src/scheduler/index.js";
import { Client } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import {
  completeAfterPolls,
  MockJobQueueScheduler,
  makeFixture,
  sobolStrategy,
} from "../scheduler/fixtures.js";
import { registerFixtureClasses } from "../scheduler/stored-fixtures.js";
import type { StoreFixture } from "./experiment-store.contract.js";
import { pause, stateOf } from "./store-contract-fixtures.js";

const FAST = { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 } as const;
const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

/** A Scheduler that, at each poll, checks that every trial it has deployed is already stored as RUNNING. */
class CheckingScheduler extends MockJobQueueScheduler {
  reader: ExperimentStore | null = null;
  readonly unsaved: string[] = [];
  polls = 0;

  override async pollTrialStatus(): Promise<TrialStatusMap> {
    this.polls++;
    const stored = await this.reader!.loadExperiment(this.experiment.name);
    for (const t of this.runningTrials) {
      const s = stored?.trials.get(t.index);
      if (
        s?.status !== TrialStatus.RUNNING ||
        JSON.stringify(s.runMetadata) !== JSON.stringify(t.runMetadata)
      ) {
        this.unsaved.push(`trial ${t.index} is ${s?.status ?? "not stored"} while the Scheduler waits on it`);
      }
    }
    return super.pollTrialStatus();
  }
}

/**
 * What the Scheduler and the Client save, checked against every store: each is read back through
 * another instance (`reopen`), so what is asserted is what was stored, not what is in memory.
 */
export function describeLoopSavesContract(label: string, factory: () => Promise<StoreFixture>): void {
  describe(`Scheduler and Client saves: ${label}`, () => {
    let fx: StoreFixture;
    beforeAll(registerFixtureClasses);
    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    async function storedElsewhere(name: string): Promise<{ experiment: Experiment; state: unknown }> {
      const other = await fx.reopen();
      const experiment = await other.loadExperiment(name);
      expect(experiment).not.toBeNull();
      return { experiment: experiment!, state: await other.loadGenerationState(name) };
    }

    it("a Scheduler's run is stored whole: trials, data and generation state", async () => {
      const f = makeFixture();
      const s = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        options: new SchedulerOptions({ ...FAST, totalTrials: 9 }),
        store: fx.store,
        logger: f.logger,
      });
      await s.runAllTrials();
      const stored = await storedElsewhere(f.experiment.name);
      expect(stored.experiment.numTrials).toBe(9);
      expect(stateOf(stored.experiment)).toEqual(stateOf(f.experiment));
      expect(stored.state).toEqual(s.generationStrategy.toState());
    });

    it("a Scheduler stores the trials it deployed before it waits on them", async () => {
      const f = makeFixture();
      f.queue.policy = completeAfterPolls(2);
      const s = new CheckingScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        // The poll reads the store with real I/O, while the fake clock runs ahead: no user-call timeout.
        options: new SchedulerOptions({ ...FAST, totalTrials: 6, userCallTimeoutSeconds: null }),
        store: fx.store,
        logger: f.logger,
      });
      s.reader = await fx.reopen();
      await s.runAllTrials();
      expect(s.polls).toBeGreaterThan(0);
      expect(s.unsaved).toEqual([]);
    });

    it("a Scheduler abandoned right after creating its experiment can be resumed from the store", async () => {
      const f = makeFixture();
      const first = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        options: new SchedulerOptions({ ...FAST, totalTrials: 3 }),
        store: fx.store,
        logger: f.logger,
      });
      const reader = await fx.reopen();
      while (!(await reader.listExperiments()).includes(f.experiment.name)) await pause(1);
      // The process "dies" here, before its first trial: the strategy was stored with the experiment.
      expect(await reader.loadGenerationState(f.experiment.name)).toEqual(first.generationStrategy.toState());
      const resumed = await MockJobQueueScheduler.fromStoredExperiment({
        experimentName: f.experiment.name,
        store: reader,
        options: new SchedulerOptions({ ...FAST, totalTrials: 3 }),
        logger: f.logger,
      });
      await resumed.runAllTrials();
      const stored = await storedElsewhere(f.experiment.name);
      expect(stored.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
    });

    it("a Scheduler resumed from the store continues with contiguous trial indices", async () => {
      const f = makeFixture();
      await new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        options: new SchedulerOptions({ ...FAST, totalTrials: 8 }),
        store: fx.store,
        logger: f.logger,
      }).runNTrials({ maxTrials: 4 });
      const resumed = await MockJobQueueScheduler.fromStoredExperiment({
        experimentName: f.experiment.name,
        store: await fx.reopen(),
        options: new SchedulerOptions({ ...FAST, totalTrials: 8 }),
        logger: f.logger,
      });
      await resumed.runAllTrials();
      const stored = await storedElsewhere(f.experiment.name);
      expect([...stored.experiment.trials.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(stored.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(8);
      expect(stateOf(stored.experiment)).toEqual(stateOf(resumed.experiment));
      expect(stored.experiment.lookupData().rows).toHaveLength(8);
    });

    it("each Client call is stored when it returns, and a Client loaded from the store carries on", async () => {
      const client = new Client({ seed: 0, store: fx.store, logger: quiet() });
      await client.createExperiment({
        name: "ask_tell",
        parameters: [
          { name: "x", type: "range", bounds: [-2, 2] },
          { name: "k", type: "choice", values: ["a", "b"], isOrdered: false },
        ],
        objectives: { loss: { minimize: true } },
      });
      let stored = await storedElsewhere("ask_tell");
      expect(stateOf(stored.experiment)).toEqual(stateOf(client.experiment));
      expect(stored.state).toEqual(client.generationStrategy.toState());
      for (let i = 0; i < 3; i++) {
        const { trialIndex, parameters } = await client.getNextTrial();
        stored = await storedElsewhere("ask_tell");
        expect(stored.experiment.getTrial(trialIndex).status).toBe(TrialStatus.RUNNING);
        expect(stored.state).toEqual(client.generationStrategy.toState());
        await client.completeTrial(trialIndex, { loss: Number(parameters.x) ** 2 });
        stored = await storedElsewhere("ask_tell");
        expect(stateOf(stored.experiment)).toEqual(stateOf(client.experiment));
      }
      const { trialIndex } = await client.getNextTrial();
      await client.logTrialFailure(trialIndex);
      expect((await storedElsewhere("ask_tell")).experiment.getTrial(trialIndex).status).toBe(
        TrialStatus.FAILED,
      );

      const loaded = await Client.load({
        experimentName: "ask_tell",
        store: await fx.reopen(),
        logger: quiet(),
      });
      const next = await loaded.getNextTrial();
      expect(next.trialIndex).toBe(4);
      stored = await storedElsewhere("ask_tell");
      expect([...stored.experiment.trials.keys()]).toEqual([0, 1, 2, 3, 4]);
      const seen = new Set([...stored.experiment.trials.values()].map((t) => t.arms[0]!.signature));
      expect(seen.size).toBe(5); // the loaded strategy continued, never repeating an arm
    });
  });
}
