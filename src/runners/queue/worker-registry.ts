import type { Redis } from "ioredis";
import type { Logger } from "../../util/logger.js";
import type { QueueKeys } from "./queue-keys.js";

/** What a worker announces about itself. */
export interface WorkerAnnouncement {
  readonly concurrency: number;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
}

/**
 * The evaluation slots of the live workers of a queue: the sum of the concurrency of every worker whose
 * heartbeat has not expired. Heartbeats are keys with a time to live that Redis expires itself, so no
 * clock of any machine is compared with another's. Ids of expired workers are pruned on the way.
 */
export async function readWorkerSlots(client: Redis, keys: QueueKeys): Promise<number> {
  const ids = await client.smembers(keys.workers);
  if (ids.length === 0) return 0;
  const values = await client.mget(...ids.map((id) => keys.worker(id)));
  let slots = 0;
  const gone: string[] = [];
  values.forEach((value, i) => {
    const concurrency = value === null ? null : concurrencyOf(value);
    if (concurrency === null) gone.push(ids[i]!);
    else slots += concurrency;
  });
  if (gone.length > 0) await client.srem(keys.workers, ...gone);
  return slots;
}

function concurrencyOf(value: string): number | null {
  try {
    const parsed = JSON.parse(value) as Partial<WorkerAnnouncement>;
    const c = parsed.concurrency;
    return typeof c === "number" && Number.isSafeInteger(c) && c > 0 ? c : null;
  } catch {
    return null;
  }
}

/**
 * A worker's heartbeat: announces the worker (and its concurrency) with a key that expires after
 * `ttlMs` unless renewed, which it is every third of that. A worker that dies stops counting toward the
 * queue's capacity within `ttlMs`.
 */
export class WorkerHeartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: Redis,
    private readonly keys: QueueKeys,
    private readonly workerId: string,
    private readonly announcement: WorkerAnnouncement,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Announces the worker now and keeps doing so until {@link WorkerHeartbeat.stop}. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((error: Error) => this.logger.debug(`Heartbeat failed: ${error.message}.`));
    }, this.ttlMs / 3);
    this.timer.unref();
  }

  /** Stops the heartbeat and withdraws the announcement (best effort: it expires anyway). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([
      this.client.del(this.keys.worker(this.workerId)),
      this.client.srem(this.keys.workers, this.workerId),
    ]).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await Promise.all([
      this.client.set(this.keys.worker(this.workerId), JSON.stringify(this.announcement), "PX", this.ttlMs),
      this.client.sadd(this.keys.workers, this.workerId),
    ]);
  }
}
