import type { QueueEvents } from "bullmq";
import type { Logger } from "../../util/logger.js";
import { bullmqConnection, loadBullMQ, watchConnection } from "./redis-connection.js";

/** BullMQ queue events after which a trial may have changed status. */
const CHANGE_EVENTS = ["completed", "failed", "removed"] as const;

/**
 * Tells listeners when one of the runner's jobs finished, from BullMQ's queue events (a stream every
 * job change is written to), so that the Scheduler polls at once instead of sleeping out its poll
 * interval. Listens only while someone listens; events are hints, statuses still come from polls.
 */
export class TrialChangeEvents {
  private readonly listeners = new Set<() => void>();
  private events: QueueEvents | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly queueName: string,
    private readonly prefix: string,
    /** Whether a job id is one of the runner's live trials. */
    private readonly isOurs: (jobId: string) => boolean,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` after each change of one of the runner's jobs; returns a function that removes it. */
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    this.start();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops listening to the queue's events. */
  async close(): Promise<void> {
    const starting = this.starting;
    this.starting = null;
    await starting;
    const events = this.events;
    this.events = null;
    await events?.close();
  }

  private start(): void {
    if (this.starting) return;
    this.starting = this.open().catch((error: Error) => {
      this.logger.warn(
        `Could not listen to queue ${this.queueName}'s events: ${error.message}; polling only.`,
      );
      this.starting = null;
    });
  }

  private async open(): Promise<void> {
    const { QueueEvents } = await loadBullMQ();
    const events = new QueueEvents(this.queueName, {
      connection: bullmqConnection(this.url),
      prefix: this.prefix,
    });
    watchConnection(events, this.url, this.logger);
    for (const name of CHANGE_EVENTS) {
      events.on(name, ({ jobId }: { jobId: string }) => {
        if (this.isOurs(jobId)) this.notify();
      });
    }
    this.events = events;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.logger.warn(`A trial-change listener threw: ${(error as Error).message}.`);
      }
    }
  }
}
