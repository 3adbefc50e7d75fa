/**
 * One seed of `npm run bench -- early-stopping`: a sequential ask/tell loop through the Client on the
 * learning-curve problem, each trial trained epoch by epoch and, when a stopping channel is given, reported
 * after each epoch and stopped when the channel says so.
 */
import { Client, type ClientOptions } from "../../src/index.js";
import { MAX_EPOCHS, SEARCH_SPACE, type TrainingParams, trainEpochs } from "./learning-curve.js";

/** The objective's metric name: validation loss, minimized. */
export const METRIC = "loss";

/**
 * How a run talks to early stopping after each epoch of a trial: report the epoch's loss, ask whether to
 * stop, and stop. Null for a run without early stopping.
 */
export interface StoppingChannel {
  /** Client options the channel needs (e.g. the strategy). */
  clientOptions: Partial<ClientOptions>;
  /** Reports one epoch's loss of a running trial. */
  report(client: Client, trialIndex: number, epoch: number, loss: number): Promise<void>;
  /** Whether the trial should stop now (the timed decision). */
  shouldStop(client: Client, trialIndex: number): Promise<boolean>;
  /** Ends the trial early (its latest value is kept). */
  stop(client: Client, trialIndex: number): Promise<void>;
}

/** The figures of one seed. */
export interface SeedRun {
  seed: number;
  /** Epochs trained by each trial, in trial order (MAX_EPOCHS for a trial that ran to the end). */
  stepsPerTrial: number[];
  totalSteps: number;
  trialsStopped: number;
  /** Best final value among trials that ran to the last epoch (an early-stopped value does not count). */
  bestFinalValue: number;
  regret: number;
  /** Wall time of each stop decision (ms). */
  decisionMs: number[];
  /** Wall time spent training, per epoch trained (ms). */
  msPerEpoch: number;
  seconds: number;
}

/** Runs `trials` sequential trials with the default generation strategy seeded by `seed`. */
export async function runSeed(
  seed: number,
  trials: number,
  channel: StoppingChannel | null,
  referenceBest: number,
): Promise<SeedRun> {
  const t0 = performance.now();
  const client = new Client({ seed, verboseLogging: false, ...channel?.clientOptions });
  await client.createExperiment({
    name: `learning_curve_${seed}`,
    parameters: SEARCH_SPACE,
    objectives: { [METRIC]: { minimize: true } },
  });
  const stepsPerTrial: number[] = [];
  const decisionMs: number[] = [];
  let trainingMs = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let t = 0; t < trials; t++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    let epoch = 0;
    let loss = Number.NaN;
    let stopped = false;
    const epochs = trainEpochs(parameters as unknown as TrainingParams);
    for (;;) {
      const e0 = performance.now();
      const next = epochs.next();
      trainingMs += performance.now() - e0;
      if (next.done) break;
      loss = next.value;
      epoch++;
      if (!channel) continue;
      await channel.report(client, trialIndex, epoch, loss);
      // The last epoch's value is the result: no decision to make there.
      if (epoch === MAX_EPOCHS) break;
      const d0 = performance.now();
      stopped = await channel.shouldStop(client, trialIndex);
      decisionMs.push(performance.now() - d0);
      if (stopped) break;
    }
    stepsPerTrial.push(epoch);
    if (stopped) {
      await channel!.stop(client, trialIndex);
    } else {
      await client.completeTrial(trialIndex, { [METRIC]: loss });
      best = Math.min(best, loss);
    }
  }
  return {
    seed,
    stepsPerTrial,
    totalSteps: stepsPerTrial.reduce((a, b) => a + b, 0),
    trialsStopped: stepsPerTrial.filter((s) => s < MAX_EPOCHS).length,
    bestFinalValue: best,
    regret: best - referenceBest,
    decisionMs,
    msPerEpoch: trainingMs / stepsPerTrial.reduce((a, b) => a + b, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
