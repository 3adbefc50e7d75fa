import type { Experiment } from "../../src/core/experiment.js";
import type { EarlyStoppingStrategy } from "../../src/scheduler/index.js";

/**
 * Stops a running trial whose latest `metricName` point, once at `minStep` or beyond, is above `limit`,
 * with the reason "loss 10.5 at step 3 is above 5". It reads the curves the Scheduler stored, as the
 * built-in strategies do; `asked` records the trial indices of every call.
 */
export class StopAbove implements EarlyStoppingStrategy {
  readonly asked: number[][] = [];
  constructor(
    private readonly limit: number,
    private readonly minStep = 1,
    private readonly metricName = "loss",
  ) {}

  shouldStopTrialsEarly(args: { trialIndices: ReadonlySet<number>; experiment: Experiment }) {
    this.asked.push([...args.trialIndices]);
    const out = new Map<number, string | null>();
    for (const index of args.trialIndices) {
      const last = args.experiment.curve(index, this.metricName).at(-1);
      if (last && last.progression >= this.minStep && last.mean > this.limit) {
        out.set(index, `${this.metricName} ${last.mean} at step ${last.progression} is above ${this.limit}`);
      }
    }
    return out;
  }
}
