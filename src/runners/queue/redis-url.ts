import { QueueRunnerError } from "../../errors.js";

/** Environment variable holding the Redis URL (with its credentials) of runners and workers. */
export const REDIS_URL_ENV = "ASCENT_REDIS_URL";

/** The Redis URL used when neither an explicit URL nor {@link REDIS_URL_ENV} is given. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * The Redis URL to connect to: `url` when given, else `ASCENT_REDIS_URL`, else {@link DEFAULT_REDIS_URL}.
 * A URL without credentials borrows the username and password of `ASCENT_REDIS_URL` when that names the
 * same host and port: a runner rebuilt from storage (which never keeps passwords) gets them back from the
 * environment. `rediss://` means TLS.
 * @throws QueueRunnerError when a URL does not parse or its scheme is not `redis:` or `rediss:`.
 * @example resolveRedisUrl("redis://queue.internal:6379/2") // credentials from ASCENT_REDIS_URL if it is that server
 */
export function resolveRedisUrl(
  url?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const fromEnv = env[REDIS_URL_ENV];
  const chosen = url ?? fromEnv ?? DEFAULT_REDIS_URL;
  const parsed = parseRedisUrl(chosen, url === undefined && fromEnv !== undefined ? REDIS_URL_ENV : "url");
  if (parsed.password === "" && fromEnv !== undefined && url !== undefined) {
    const source = parseRedisUrl(fromEnv, REDIS_URL_ENV);
    if (source.hostname === parsed.hostname && portOf(source) === portOf(parsed)) {
      parsed.username = source.username;
      parsed.password = source.password;
    }
  }
  return parsed.toString();
}

/**
 * `url` without its username and password, for storage and log lines.
 * @throws QueueRunnerError when it does not parse as a Redis URL.
 * @example redactRedisUrl("rediss://app:s3cret@cache:6380/1") // "rediss://cache:6380/1"
 */
export function redactRedisUrl(url: string): string {
  const parsed = parseRedisUrl(url, "url");
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

function parseRedisUrl(url: string, where: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new QueueRunnerError(
      `The Redis ${where} ${JSON.stringify(redactLoosely(url))} is not a URL; write it as ` +
        "redis://[user:password@]host:port[/db] (rediss:// for TLS).",
      { cause: error },
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new QueueRunnerError(
      `The Redis ${where} has scheme "${parsed.protocol}"; use redis:// (or rediss:// for TLS), ` +
        "e.g. redis://127.0.0.1:6379.",
    );
  }
  return parsed;
}

function portOf(url: URL): string {
  return url.port === "" ? "6379" : url.port;
}

/** Hides anything between "//" and "@" of a string that did not even parse as a URL. */
function redactLoosely(text: string): string {
  return text.replace(/\/\/[^@/]*@/, "//***@");
}
