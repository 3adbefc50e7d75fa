import { expect } from "vitest";
import {
  Arm,
  Data,
  type DataRow,
  Experiment,
  GeneratorRun,
  Metric,
  Objective,
  OptimizationConfig,
  ReportedMetric,
} from "../../src/core/index.js";
import { isMetricRegistered, registerMetric } from "../../src/storage/codec/index.js";
import { FakeClock } from "../../src/util/clock.js";
import { makeSpace, point, run } from "../core/helpers.js";

/** A user-defined metric: the contract stores it through the codec's registry. */
export class ContractLatencyMetric extends Metric {
  async fetchTrialData(): Promise<Data> {
    return Data.empty();
  }
}

/** Registers the suite's metric class (explicitly, as users must). */
export function registerContractMetric(): void {
  if (!isMetricRegistered("ContractLatencyMetric")) registerMetric(ContractLatencyMetric);
}

/** An experiment with a custom objective metric, a tracking ReportedMetric and a fake clock. */
export function contractExperiment(name: string): { experiment: Experiment; clock: FakeClock } {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const latency = new ContractLatencyMetric({
    name: "latency",
    lowerIsBetter: true,
    properties: { endpoint: "/v1/score" },
  });
  const experiment = new Experiment({
    name,
    searchSpace: makeSpace(),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: latency, minimize: true }),
    }),
    trackingMetrics: [new ReportedMetric({ name: "cost" })],
    description: "contract suite",
    properties: { team: "search", tags: ["a", "b"] },
    clock,
  });
  return { experiment, clock };
}

/** Adds one trial in each status (and a batch trial); returns them by status name. */
export function addTrialsOfEachStatus(experiment: Experiment, clock: FakeClock): void {
  const t = (x: number) => experiment.newTrial({ generatorRun: run(point(x)) });
  t(0); // CANDIDATE
  clock.advance(1000);
  t(1).markStaged();
  const running = t(2).markRunning().updateRunMetadata({ jobId: "job-2", attempt: 1 });
  running.properties.note = "kept";
  clock.advance(1000);
  t(3).markRunning().markCompleted();
  t(4).markRunning().markFailed("runner crashed");
  t(5).markAbandoned("no longer needed");
  t(6).markRunning().markEarlyStopped("not promising");
  const batch = experiment.newBatchTrial({
    generatorRuns: [
      new GeneratorRun({
        arms: [new Arm({ parameters: point(7) }), new Arm({ parameters: point(8, 2, 3, "b") })],
        weights: [2, 1],
        generatorName: "Manual",
        timeCreated: 0,
      }),
    ],
    ttlSeconds: 600,
  });
  batch.markRunning();
}

/** One observation. */
export function row(
  trialIndex: number,
  armName: string,
  metricName: string,
  mean: number,
  sem: number | null = 0.1,
): DataRow {
  return { trialIndex, armName, metricName, mean, sem };
}

/** Everything a store must preserve, as plain data (the same for a reloaded copy and the original). */
export function stateOf(experiment: Experiment): unknown {
  const key = (r: DataRow) => `${r.trialIndex}|${r.armName}|${r.metricName}`;
  return {
    name: experiment.name,
    description: experiment.description,
    properties: experiment.properties,
    parameters: [...experiment.searchSpace.parameters.keys()],
    metrics: experiment.metrics.map((m) => ({
      cls: m.constructor.name,
      name: m.name,
      lowerIsBetter: m.lowerIsBetter,
      properties: m.properties,
    })),
    trials: [...experiment.trials.values()].map((t) => t.toJSON()),
    data: [...experiment.lookupData().rows].sort((a, b) => key(a).localeCompare(key(b))),
  };
}

/** The trials' statuses by index. */
export function statuses(experiment: Experiment): string[] {
  return [...experiment.trials.values()].map((t) => t.status);
}

/** Awaits a promise that must reject, and returns the error after checking its class. */
export async function rejection<E extends Error>(
  promise: Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
): Promise<E> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(cls);
  return thrown as E;
}

/** Lets other async work run, with a real timer (so SQL connections in other stores make progress). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
