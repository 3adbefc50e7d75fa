import type { Job } from "bullmq";
import type { BaseTrial } from "../../core/base-trial.js";
import type { TrialStatusMap } from "../../core/runner.js";
import { TrialStatus } from "../../core/trial-status.js";
import type { Logger } from "../../util/logger.js";
import { experimentKey, jobIdOf } from "./job-id.js";
import { payloadForTrial } from "./job-payload.js";
import type { QueueConnection } from "./queue-connection.js";
import type { QueueRunnerSettings } from "./queue-runner-options.js";
import type { TrialLeases } from "./trial-leases.js";

/** What a poll learned about one trial's job. */
type Outcome =
  | { status: "RUNNING" }
  | { status: "COMPLETED"; result: unknown }
  | { status: "FAILED"; reason: string }
  | { status: "MISSING" };

/**
 * Polls trials' jobs in batches: their states and jobs (return values, failed reasons) in one round trip
 * whatever the number of trials, keeping results and reasons for `pollTrialResult` and `pollException`
 * (asked right after).
 * @internal
 */
export class JobPoller {
  private readonly results = new Map<string, unknown>();
  private readonly reasons = new Map<string, string>();

  constructor(
    private readonly settings: QueueRunnerSettings,
    private readonly leases: TrialLeases,
    private readonly logger: Logger,
  ) {}

  /** Statuses of `trials` (see `QueueRunner.pollTrialStatus`). */
  async poll(c: QueueConnection, trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    const ids = trials.map(jobIdOf);
    const outcomes = await this.outcomes(c, ids);
    const missing = trials.filter((_, i) => outcomes[i]!.status === "MISSING");
    const requeued = new Set(await this.requeueLost(c, missing));
    const statuses: TrialStatusMap = new Map();
    const add = (status: TrialStatus, index: number): void => {
      const set = statuses.get(status) ?? new Set<number>();
      set.add(index);
      statuses.set(status, set);
    };
    const alive: BaseTrial[] = [];
    const ended: BaseTrial[] = [];
    trials.forEach((trial, i) => {
      const outcome = outcomes[i]!;
      const id = ids[i]!;
      if (outcome.status === "RUNNING" || requeued.has(trial.index)) {
        alive.push(trial);
        add(TrialStatus.RUNNING, trial.index);
        return;
      }
      ended.push(trial);
      if (outcome.status === "COMPLETED") this.results.set(id, outcome.result);
      else this.reasons.set(id, outcome.status === "FAILED" ? outcome.reason : this.notFound(id, trial));
      add(outcome.status === "COMPLETED" ? TrialStatus.COMPLETED : TrialStatus.FAILED, trial.index);
    });
    // Not awaited: a lease write that fails is redone by the renewal timer, and the poll's answer stands.
    Promise.all([this.updateLeases(c, alive, "add"), this.updateLeases(c, ended, "remove")]).catch(
      (error: Error) => this.logger.debug(`Could not update the trials' leases: ${error.message}.`),
    );
    return statuses;
  }

  /** The result of a trial a poll reported COMPLETED (read again when this runner did not poll it). */
  async result(c: QueueConnection, trial: BaseTrial): Promise<unknown> {
    const id = jobIdOf(trial);
    if (this.results.has(id)) {
      const result = this.results.get(id);
      this.results.delete(id);
      return result;
    }
    const [job] = await c.getJobs([id]);
    return job?.finishedOn !== undefined && !job.failedReason ? job.returnvalue : null;
  }

  /** Why a trial a poll reported FAILED failed. */
  async failureReason(c: QueueConnection, trial: BaseTrial): Promise<string | null> {
    const id = jobIdOf(trial);
    const cached = this.reasons.get(id);
    if (cached !== undefined) {
      this.reasons.delete(id);
      return cached;
    }
    const [job] = await c.getJobs([id]);
    return job === undefined ? this.notFound(id, trial) : job.failedReason || null;
  }

  private async outcomes(c: QueueConnection, ids: readonly string[]): Promise<Outcome[]> {
    // States and jobs in one round trip: reading the (small) jobs still running costs less than a second trip.
    const [states, jobs] = await Promise.all([c.getStates(ids), c.getJobs(ids)]);
    return states.map((state, i): Outcome => {
      if (state === "unknown") return { status: "MISSING" };
      if (state !== "completed" && state !== "failed") return { status: "RUNNING" };
      const job: Job | undefined = jobs[i];
      // Removed between the two reads (its age ran out): as missing.
      if (job === undefined) return { status: "MISSING" };
      if (state === "completed") return { status: "COMPLETED", result: job.returnvalue };
      return { status: "FAILED", reason: job.failedReason || `job ${ids[i]} failed without a reason` };
    });
  }

  /**
   * Queues again the jobs of `missing` trials that Redis lost: those queued under another epoch than the
   * queue's current one (Redis restarted without persistence). Jobs missing under the same epoch were
   * removed, and their trials FAIL. Returns the indices of the trials queued again.
   */
  private async requeueLost(c: QueueConnection, missing: readonly BaseTrial[]): Promise<number[]> {
    if (missing.length === 0) return [];
    const epoch = await c.epoch();
    const lost = missing.filter((t) => {
      const queuedUnder = t.runMetadata.queueEpoch;
      return typeof queuedUnder === "string" && queuedUnder !== epoch;
    });
    if (lost.length === 0) return [];
    this.logger.warn(
      `Redis lost the jobs of trials ${lost.map((t) => t.index).join(", ")} on queue "${this.settings.queueName}" ` +
        "(it restarted without persistence); queuing them again.",
    );
    const jobs = lost.map((t) => ({
      jobId: jobIdOf(t),
      payload: payloadForTrial(t, this.settings.jobTimeoutSeconds),
    }));
    await c.enqueue(jobs, this.leases);
    return lost.map((t) => t.index);
  }

  private async updateLeases(c: QueueConnection, trials: readonly BaseTrial[], how: "add" | "remove") {
    const byExperiment = new Map<string, string[]>();
    for (const trial of trials) {
      const key = experimentKey(trial.experimentName);
      byExperiment.set(key, [...(byExperiment.get(key) ?? []), jobIdOf(trial)]);
    }
    await Promise.all([...byExperiment].map(([key, ids]) => this.leases[how](c.client, key, ids)));
  }

  private notFound(jobId: string, trial: BaseTrial): string {
    return (
      `job not found: job ${jobId} of trial ${trial.index} is not in queue "${this.settings.queueName}" ` +
      `(removed, or older than keepJobsSeconds = ${this.settings.keepJobsSeconds})`
    );
  }
}
