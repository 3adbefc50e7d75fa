import type { JsonValue } from "../../core/json.js";
import type { Logger } from "../../util/logger.js";
import type { CliScheduler } from "./cli-scheduler.js";
import { STOP_REQUEST_PROPERTY, stopRequestOf } from "./stop-request.js";

/**
 * Reads the store, at most every `intervalSeconds`, for a stop request that `ascent stop` wrote in another
 * process; on one, asks the Scheduler to launch no more trials and records in the stored request that it
 * was seen (so `ascent stop` can say so). Called from the Scheduler's idle callback, between polls, where
 * the loop waits for it: its writes never interleave with the Scheduler's own saves.
 */
export class StopWatch {
  private lastCheckMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly scheduler: CliScheduler,
    private readonly onStop: (message: string) => void,
    private readonly logger: Logger,
    private readonly intervalSeconds = 1,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the store once the interval passed; a failed read is logged and tried again next time. */
  async check(): Promise<void> {
    const scheduler = this.scheduler;
    const store = scheduler.store;
    if (scheduler.stopRequested || store === null) return;
    const now = this.now();
    if (now - this.lastCheckMs < this.intervalSeconds * 1000) return;
    this.lastCheckMs = now;
    try {
      const stored = await store.loadExperiment(scheduler.experiment.name);
      const request = stored && stopRequestOf(stored);
      if (!request) return;
      const message = `Stopped by ascent stop (${request.by} at ${request.at})`;
      scheduler.requestStop(message);
      this.onStop(message);
      // The running experiment is the one whose definition is authoritative: saving it with the request
      // marked seen keeps the request stored (a later save of the definition cannot drop it).
      const seen = { ...request, seenAt: new Date(now).toISOString() };
      scheduler.experiment.properties[STOP_REQUEST_PROPERTY] = seen as unknown as JsonValue;
      await store.saveExperiment(scheduler.experiment);
    } catch (error) {
      this.logger.warn(`Could not check the store for a stop request: ${(error as Error).message}`);
    }
  }
}
