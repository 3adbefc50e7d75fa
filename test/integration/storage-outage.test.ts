/**
 * A Scheduler with suppressStorageErrors whose PostgreSQL server (a throwaway one of the test's own) is
 * killed in the middle of a run and started again only after the run's last trial completed: the run
 * goes on, waits for the server at its end, and then every trial, every observation and the generation
 * state are stored. The lease lives 1 s, so the run also goes far past
 * the lease's lifetime, and the outage outlasts it.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BraninMetric,
  makeBraninJobExperiment,
  SimulatedJobRunner,
  SimulatedJobScheduler,
} from "../../examples/simulated-jobs.js";
import {
  DBSettings,
  ExperimentLockedError,
  GenerationStep,
  GenerationStrategy,
  Generators,
  Logger,
  LogLevel,
  registerMetric,
  registerRunner,
  SchedulerOptions,
  TrialStatus,
} from "../../src/index.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../support/throwaway-postgres.js";

const OTHER_OWNER = "another-host:4242:feedbeef";
const TOTAL = 16;

beforeAll(() => {
  registerMetric(BraninMetric);
  registerRunner(SimulatedJobRunner);
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the run");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("a PostgreSQL server killed during a run and started again", () => {
  let server: ThrowawayPostgres | null = null;
  afterEach(async () => {
    await server?.destroy();
    server = null;
  });

  it("loses nothing: the run ends normally with every trial, observation and the state stored", async () => {
    server = await startThrowawayPostgres();
    const experiment = makeBraninJobExperiment("pg_outage", { minMs: 150, maxMs: 400 });
    const lines: string[] = [];
    const scheduler = new SimulatedJobScheduler({
      experiment,
      generationStrategy: new GenerationStrategy({
        steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
        seed: 0,
      }),
      options: new SchedulerOptions({
        totalTrials: TOTAL,
        maxPendingTrials: 3,
        initSecondsBetweenPolls: 0.05,
        minSecondsBeforePoll: 0,
        secondsBetweenPollsBackoffFactor: 1,
        suppressStorageErrors: true,
        leaseTtlSeconds: 1,
        storageRetrySeconds: 60,
      }),
      dbSettings: new DBSettings({ url: server.url, connectTimeoutMs: 1000 }),
      logger: new Logger({ name: "outage", level: LogLevel.INFO, sink: (line) => lines.push(line) }),
    });
    const started = Date.now();
    const completed = () => experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
    const run = scheduler.runAllTrials();

    // Past the lease's 1 s lifetime, another Scheduler is still refused: the lease is being renewed.
    await waitUntil(() => completed() >= 3 && Date.now() - started > 1500);
    const other = await new DBSettings({ url: server.url }).openStore();
    const refusal = await other
      .acquireLease(experiment.name, OTHER_OWNER, 60_000, Date.now())
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ExperimentLockedError);
    await other.close();

    await server.kill();
    const completedAtKill = completed();
    // The run goes on in memory to its last trial while the server is down, for longer than the lease
    // lives; the server comes back only while the run is saving what it could not save before.
    await waitUntil(() => completed() === TOTAL);
    await new Promise((r) => setTimeout(r, 1000));
    await server.start();
    const result = await run;
    expect(completedAtKill).toBeLessThan(TOTAL);
    expect(result.trialCountsByStatus.COMPLETED).toBe(TOTAL);
    expect(lines.some((l) => l.includes("ERROR") && l.includes("Saving"))).toBe(true);

    const fresh = await new DBSettings({ url: server.url }).openStore();
    try {
      const loaded = (await fresh.loadExperiment(experiment.name))!;
      const view = (e: typeof experiment) =>
        [...e.trials.values()].map((t) => [t.index, t.status, t.arms[0]!.parameters, t.runMetadata]);
      expect(view(loaded)).toEqual(view(experiment));
      expect(loaded.lookupData().rows).toEqual(experiment.lookupData().rows);
      expect(loaded.lookupData().rows).toHaveLength(TOTAL);
      expect(await fresh.loadGenerationState(experiment.name)).toEqual(
        scheduler.generationStrategy.toState(),
      );
      // The lease was released when the run ended.
      await fresh.acquireLease(experiment.name, OTHER_OWNER, 60_000, Date.now());
    } finally {
      await fresh.close();
      await scheduler.store?.close();
    }
  }, 120_000);
});
