/**
 * The early-stopping configurations compared by `npm run bench -- early-stopping`, each a stopping channel
 * through the Client (null: no early stopping).
 */
import {
  CurvePredictionEarlyStoppingStrategy,
  type EarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  ThresholdEarlyStoppingStrategy,
} from "../../src/index.js";
import { METRIC, type StoppingChannel } from "./run-seed.js";

/** One compared configuration. */
export interface Configuration {
  /** Key used on the command line (--strategies a,b). */
  key: string;
  /** What it is, with every option that differs from the defaults. */
  label: string;
  /** A fresh channel per seed (null: no early stopping). */
  channel(): StoppingChannel | null;
}

/**
 * The threshold rule's threshold: a validation loss of 1 is what predicting the mean scores (targets are
 * standardized), so a network still above it after a quarter of its training has learned nothing yet. It is
 * also about the median final value of the reference random search (1.03).
 */
export const THRESHOLD = { metricThreshold: 1, minProgression: 10 } as const;

/** The Client's early-stopping channel: attachProgress per epoch, shouldStopTrialEarly, stopTrialEarly. */
export function clientChannel(strategy: EarlyStoppingStrategy): StoppingChannel {
  return {
    clientOptions: { earlyStoppingStrategy: strategy },
    report: (client, trialIndex, epoch, loss) =>
      client.attachProgress(trialIndex, { [METRIC]: loss }, { step: epoch }),
    shouldStop: (client, trialIndex) => client.shouldStopTrialEarly(trialIndex),
    stop: (client, trialIndex) => client.stopTrialEarly(trialIndex),
  };
}

export const CONFIGURATIONS: readonly Configuration[] = [
  {
    key: "none",
    label: "no early stopping",
    channel: () => null,
  },
  {
    key: "percentile",
    label: "PercentileEarlyStoppingStrategy() (default options)",
    channel: () => clientChannel(new PercentileEarlyStoppingStrategy()),
  },
  {
    key: "threshold",
    label: `ThresholdEarlyStoppingStrategy({ metricThreshold: ${THRESHOLD.metricThreshold}, minProgression: ${THRESHOLD.minProgression} }) (loss of predicting the mean, after a quarter of training)`,
    channel: () => clientChannel(new ThresholdEarlyStoppingStrategy({ ...THRESHOLD })),
  },
  {
    key: "curve-prediction",
    label: "CurvePredictionEarlyStoppingStrategy() (default options)",
    channel: () => clientChannel(new CurvePredictionEarlyStoppingStrategy()),
  },
];
