import { beforeAll, describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { UserHookError } from "../../src/errors.js";
import {
  GenerationStep,
  GenerationStrategy,
  type Generator,
  SobolGenerator,
} from "../../src/generation/index.js";
import { type CompletionDecision, SchedulerOptions } from "../../src/scheduler/index.js";
import {
  completeAfterPolls,
  type Fixture,
  indicesWith,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";
import { registerFixtureClasses, sqliteStore, statusesOf } from "./stored-fixtures.js";

beforeAll(registerFixtureClasses);

/** Sobol, except that the calls numbered in `failOn` (1-based) throw like a model that cannot be fitted. */
function flakyStrategy(f: Fixture, failOn: (call: number) => boolean): GenerationStrategy {
  const sobol = new SobolGenerator({ searchSpace: f.experiment.searchSpace, seed: 0 });
  let calls = 0;
  const flaky: Generator = {
    name: "Flaky",
    gen: async (args) => {
      calls++;
      if (failOn(calls)) throw new Error(`model fitting diverged (call ${calls})`);
      return sobol.gen(args);
    },
  };
  return new GenerationStrategy({ steps: [new GenerationStep({ generator: flaky, numTrials: -1 })] });
}

describe("Scheduler: timeouts and long waits", () => {
  it("returns at the timeout, leaving running trials RUNNING, with one 'timed out' line", async () => {
    const f = makeFixture();
    // The job would finish after 50 polls; the run must not wait for it.
    f.queue.policy = completeAfterPolls(50);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(1),
      logger: f.logger,
    });
    const result = await s.runNTrials({ maxTrials: 3, timeoutHours: 0.00001 });
    expect(result.timedOut).toBe(true);
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([0]);
    expect(f.queue.jobs.size).toBe(1);
    const timedOutLines = messages(f.lines).filter((l) => l.includes("Optimization timed out"));
    expect(timedOutLines).toEqual(["ERROR Optimization timed out (timeout hours: 1e-05)!"]);
    expect(messages(f.lines).at(-1)).toBe("INFO `shouldAbort` is `true`, not running more trials.");
  });

  it("reports every 900 s of waiting and checks the stopping rules again (MAX_SECONDS_BETWEEN_REPORTS)", async () => {
    const f = makeFixture();
    let criterionCalls = 0;
    class Reporting extends MockJobQueueScheduler {
      override reportResults(): unknown {
        return {
          running: this.experiment.countTrialsWithStatus(TrialStatus.RUNNING),
          atSeconds: (f.clock.now() - start) / 1000,
        };
      }
      override completionCriterion(): CompletionDecision {
        criterionCalls++;
        return super.completionCriterion();
      }
    }
    // The job runs for 60 polls: well over an hour with backoff 1.5 restarted at every report.
    f.queue.policy = completeAfterPolls(60);
    const start = f.clock.now();
    const s = new Reporting({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    const reports: { running: number; atSeconds: number }[] = [];
    for await (const r of s.runTrialsAndYieldResults({ maxTrials: 1 })) {
      reports.push(r as { running: number; atSeconds: number });
    }
    const whileWaiting = reports.filter((r) => r.running === 1);
    expect(whileWaiting.length).toBeGreaterThanOrEqual(2);
    // Each report comes after just over 900 s of waiting, never much later.
    let previous = 0;
    for (const r of whileWaiting) {
      expect(r.atSeconds - previous).toBeGreaterThan(900);
      expect(r.atSeconds - previous).toBeLessThan(2 * 900);
      previous = r.atSeconds;
    }
    expect(reports.at(-1)?.running).toBe(0);
    expect(criterionCalls).toBeGreaterThanOrEqual(whileWaiting.length);
  });
});

describe("Scheduler: generation errors", () => {
  it("logs a generation error while trials run, waits for them and tries again", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(2);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: flakyStrategy(f, (call) => call === 2),
      options: new SchedulerOptions({ maxPendingTrials: 2 }),
      logger: f.logger,
    });
    const result = await s.runNTrials({ maxTrials: 3 });
    expect(result.trialIndicesAdded).toEqual([0, 1, 2]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2]);
    expect(messages(f.lines)).toContain(
      "ERROR Generating trials failed: model fitting diverged (call 2). Waiting for the 1 running trials and trying again.",
    );
  });

  it("raises the generation error once no trial is running", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(2);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: flakyStrategy(f, (call) => call >= 2),
      logger: f.logger,
    });
    await expect(s.runNTrials({ maxTrials: 3 })).rejects.toThrow("model fitting diverged (call 3)");
    // It waited for trial 0 before giving up.
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(f.experiment.numTrials).toBe(1);
  });
});

describe("Scheduler: errors in user hooks", () => {
  it("logs a reportResults error and carries on", async () => {
    const f = makeFixture();
    class BrokenReport extends MockJobQueueScheduler {
      override reportResults(): unknown {
        throw new Error("dashboard unreachable");
      }
    }
    const s = new BrokenReport({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    const reports: unknown[] = [];
    for await (const r of s.runTrialsAndYieldResults({ maxTrials: 3 })) reports.push(r);
    expect(reports).toEqual([]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2]);
    expect(messages(f.lines)).toContain(
      "ERROR reportResults threw: dashboard unreachable; continuing the run.",
    );
  });

  it("ends the run with a UserHookError when completionCriterion throws, keeping the record consistent", async () => {
    const { store, reopen } = await sqliteStore();
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(2);
    let calls = 0;
    class BrokenCriterion extends MockJobQueueScheduler {
      override completionCriterion(): CompletionDecision {
        if (++calls === 2) throw new Error("criterion service down");
        return super.completionCriterion();
      }
    }
    const s = new BrokenCriterion({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ maxPendingTrials: 1 }),
      store,
      logger: f.logger,
    });
    const error = await s.runNTrials({ maxTrials: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserHookError);
    // What the run left in memory is what is stored.
    const loaded = await (await reopen()).loadExperiment(f.experiment.name);
    expect(statusesOf(loaded!.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
    expect((error as UserHookError).hook).toBe("completionCriterion");
    expect(((error as UserHookError).cause as Error).message).toBe("criterion service down");
    expect(messages(f.lines)).toContain(
      "ERROR completionCriterion threw: criterion service down; ending the run (running trials stay RUNNING).",
    );
    // The lease is released and a new run can start.
    calls = 10;
    await s.runNTrials({ maxTrials: 1 });
    expect(f.experiment.countTrialsWithStatus(TrialStatus.RUNNING)).toBe(0);
  });
});
