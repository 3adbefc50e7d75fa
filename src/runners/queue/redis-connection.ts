import type { RedisOptions as BullMQRedisOptions } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import type { Logger } from "../../util/logger.js";
import { redactRedisUrl } from "./redis-url.js";

/** BullMQ's module, loaded when a runner or worker first connects (importing Ascent stays cheap). */
export type BullMQModule = typeof import("bullmq");

let bullmq: Promise<BullMQModule> | null = null;
let ioredis: Promise<{ Redis: typeof Redis }> | null = null;

/** Imports BullMQ once. */
export function loadBullMQ(): Promise<BullMQModule> {
  bullmq ??= import("bullmq");
  return bullmq;
}

/** Longest wait between two reconnection attempts, in ms. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** Connection errors are logged at most once per this many ms (an outage must not flood the log). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Options of the Redis connections Ascent opens itself. Reconnection never stops (every 2 s at most),
 * so the process carries on when Redis is back; a command waits through one reconnection attempt, then
 * fails, so that a call made during an outage returns an error instead of hanging. Commands issued in
 * the same tick go out in one round trip (auto-pipelining), which is what makes batch polls cheap.
 */
export function connectionOptions(name: string): RedisOptions {
  return {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
  };
}

/**
 * Options for the connections BullMQ opens itself (workers and queue events need blocking ones, which
 * must wait indefinitely: `maxRetriesPerRequest: null`).
 */
export function bullmqConnection(url: string): BullMQRedisOptions {
  return {
    url,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
  };
}

/** Opens a Redis connection to `url` whose errors are logged (throttled) instead of crashing the process. */
export async function openRedis(url: string, name: string, logger: Logger): Promise<Redis> {
  ioredis ??= import("ioredis");
  const { Redis } = await ioredis;
  const client = new Redis(url, connectionOptions(name));
  watchConnection(client, url, logger);
  return client;
}

/**
 * Logs a connection's errors (at most one line per 10 s) and its recovery. Every emitter BullMQ or
 * ioredis gives us goes through here: an `error` event without a listener would end the process.
 */
export function watchConnection(
  emitter: { on(event: string, listener: (...args: never[]) => void): unknown },
  url: string,
  logger: Logger,
): void {
  const where = redactRedisUrl(url);
  let lastLogged = 0;
  let failing = false;
  emitter.on("error", (error: Error) => {
    const now = Date.now();
    failing = true;
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn(`Redis at ${where}: ${error.message}; reconnecting.`);
  });
  emitter.on("ready", () => {
    if (!failing) return;
    failing = false;
    lastLogged = 0;
    logger.info(`Redis at ${where} is reachable again.`);
  });
}

/**
 * Resolves once `client` is connected, logging every 10 s while Redis cannot be reached (a worker started
 * before Redis, or during an outage, waits instead of failing).
 */
export async function untilReady(client: Redis, url: string, logger: Logger): Promise<void> {
  if (client.status === "ready") return;
  const where = redactRedisUrl(url);
  const timer = setInterval(
    () => logger.warn(`Still waiting for Redis at ${where}...`),
    ERROR_LOG_INTERVAL_MS,
  );
  try {
    await new Promise<void>((resolve) => client.once("ready", () => resolve()));
  } finally {
    clearInterval(timer);
  }
}

/** Error codes of a socket to a Redis that is down or restarting. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTCONN",
]);

/**
 * Whether `error` says Redis could not be reached (down, restarting, the connection lost), as opposed
 * to a refused command: a call that failed so may succeed once Redis is back.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    (typeof code === "string" && UNAVAILABLE_CODES.has(code)) ||
    /Connection is closed|Stream isn't writeable|connect ECONNREFUSED/.test(error.message)
  );
}
