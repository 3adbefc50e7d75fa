import { afterEach } from "vitest";
import { type BaseTrial, Experiment, QueueRunner } from "../../../src/index.js";
import { makeSpace, point, run } from "../../core/helpers.js";
import { captureLogger, REDIS_URL } from "./support.js";

/**
 * QueueRunners for tests against real `ascent worker` processes, each closed after its test. Call once at
 * the top of a test file (it registers the afterEach hook).
 */
export function queueRunners(): (
  queueName: string,
  options?: { attempts?: number },
) => { runner: QueueRunner; lines: string[] } {
  const runners: QueueRunner[] = [];
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.close();
  });
  return (queueName, options = {}) => {
    const { logger, lines } = captureLogger("QueueRunner");
    const runner = new QueueRunner({
      connection: { url: REDIS_URL },
      queueName,
      logger,
      backoffSeconds: 0.05,
      ...options,
    });
    runners.push(runner);
    return { runner, lines };
  };
}

/** Trials of an experiment named `name` at the given points ([x1, x2 (seconds of sleep), c]). */
export function trialsAt(name: string, points: [number, number, string][]): BaseTrial[] {
  const experiment = new Experiment({ name, searchSpace: makeSpace() });
  return points.map(([x1, x2, c]) => experiment.newTrial({ generatorRun: run(point(x1, x2, 1, c)) }));
}

/** Queues `trials` as a Scheduler would: runs them on the runner, keeps the run metadata, marks them RUNNING. */
export async function deploy(runner: QueueRunner, trials: BaseTrial[]): Promise<void> {
  const meta = await runner.runMultiple(trials);
  for (const t of trials) {
    t.updateRunMetadata(meta.get(t.index)!);
    t.markRunning();
  }
}

/** The status the runner reports for each trial, in order ("?" when it reports none). */
export async function statuses(runner: QueueRunner, trials: BaseTrial[]): Promise<string[]> {
  const map = await runner.pollTrialStatus(trials);
  return trials.map((t) => [...map].find(([, set]) => set.has(t.index))?.[0] ?? "?");
}
