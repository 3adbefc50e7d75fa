import { TrialResultError } from "../errors.js";
import type { BaseTrial } from "./base-trial.js";
import { Data, type DataRow } from "./data.js";
import { Metric } from "./metric.js";
import { trialResultValue } from "./trial-result.js";

/**
 * A metric whose value is read from the result kept with the trial: what a built-in runner
 * (`FunctionRunner`, `CommandRunner`, `QueueRunner`) reported when the trial finished, stored in the
 * trial's run metadata under `result`. The default metric of `optimize()`, the Client and the CLI.
 * A result without this metric, or with a value that is not a finite number, is a failed fetch
 * (`TrialResultError`): for an objective or constraint the Scheduler ABANDONs the trial with a reason
 * that names the trial and the metric and quotes the result.
 */
export class ResultMetric extends Metric {
  async fetchTrialData(trial: BaseTrial): Promise<Data> {
    if (trial.arms.length !== 1) {
      // One result per trial: the arms of a batch trial would all get the same value.
      throw new TrialResultError(
        `Trial ${trial.index} has ${trial.arms.length} arms; a ResultMetric reads one result per trial, so it ` +
          "serves one-arm trials only. Report batch trials' data per arm with a Metric of your own.",
        { trialIndex: trial.index, metricName: this.name },
      );
    }
    const { mean, sem } = trialResultValue(trial, this.name);
    const rows: DataRow[] = trial.arms.map((arm) => ({
      trialIndex: trial.index,
      armName: arm.name,
      metricName: this.name,
      mean,
      sem,
    }));
    return Data.fromRows(rows);
  }
}
