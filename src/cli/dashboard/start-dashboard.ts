import type { AddressInfo } from "node:net";
import { DashboardOptionsError } from "../../errors.js";

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The store to show: `sqlite:PATH` or `postgres://...` (opened read-only). */
  readonly storage: string;
  /** The port to listen on (default {@link DEFAULT_DASHBOARD_PORT}); 0 picks a free one. */
  readonly port?: number;
  /** The address to bind (default 127.0.0.1); any non-loopback address requires `token`. */
  readonly host?: string;
  /** When set, every request must carry it (cookie, `Authorization: Bearer`, or `?token=` on a page). */
  readonly token?: string;
  /** How often watched experiments are brought up to date with the store, in ms (default 500). */
  readonly refreshMs?: number;
  /** At least this long between two recomputations of an experiment's trace, in ms (default 1,000). */
  readonly traceIntervalMs?: number;
  /** At least this long between two recomputations of the other charts and model views, in ms (default 5,000). */
  readonly chartsIntervalMs?: number;
  /** Whether to show the views of the fitted model (default true). */
  readonly models?: boolean;
}

/** A dashboard that is serving. */
export interface RunningDashboard {
  /** Where it serves, e.g. `http://127.0.0.1:8484/`. */
  readonly url: string;
  /** The port it listens on (the chosen one when asked for port 0). */
  readonly port: number;
  /** Ends the event streams, stops listening and closes the store. Idempotent. */
  close(): Promise<void>;
}

/** The port `ascent dashboard` listens on unless told otherwise. */
export const DEFAULT_DASHBOARD_PORT = 8484;

/** Whether `host` is a loopback address, reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks the options before anything is opened.
 * @throws DashboardOptionsError for a non-loopback host without a token, or a port out of range.
 */
export function checkDashboardOptions(options: DashboardOptions): void {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host) && (options.token ?? "") === "") {
    throw new DashboardOptionsError(
      `Refusing to serve the dashboard on ${host} without a token: anyone who can reach that address ` +
        "could read your experiments. Pass --token TOKEN (or set ASCENT_DASHBOARD_TOKEN), or bind " +
        "127.0.0.1 (the default) and reach it through an SSH tunnel.",
      { option: "--host" },
    );
  }
  const port = options.port ?? DEFAULT_DASHBOARD_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DashboardOptionsError(
      `--port ${port} is not a port: give an integer from 0 (any free port) to 65535.`,
      {
        option: "--port",
      },
    );
  }
}

/**
 * Serves the dashboard over the store at `options.storage`, opened read-only: a run in another process
 * can write meanwhile (SQLite WAL, PostgreSQL). Hono and the store's driver are loaded here, on demand.
 * @throws DashboardOptionsError for unsafe or invalid options (nothing is opened).
 * @throws StorageError when the store cannot be opened.
 * @example const dashboard = await startDashboard({ storage: "sqlite:./ascent.db", port: 0 });
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  checkDashboardOptions(options);
  const [{ openCliStore }, { registerBuiltInRunners }, { vegaRuntimeSource }] = await Promise.all([
    import("../storage-option.js"),
    import("../../service/builtin-runners.js"),
    import("../../reporting/charts/vega-runtime.js"),
  ]);
  registerBuiltInRunners();
  const opened = await openCliStore(options.storage, { readOnly: true });
  try {
    return await serveStore(opened.store, opened.description, options, await vegaRuntimeSource());
  } catch (error) {
    await opened.store.close().catch(() => undefined);
    throw error;
  }
}

async function serveStore(
  store: import("../../core/experiment-store.js").ExperimentStore,
  description: string,
  options: DashboardOptions,
  vegaSource: string,
): Promise<RunningDashboard> {
  const [{ serve }, { dashboardApp }, { DashboardModel }] = await Promise.all([
    import("@hono/node-server"),
    import("./dashboard-app.js"),
    import("./dashboard-model.js"),
  ]);
  const model = new DashboardModel(store, description, {
    refreshMs: options.refreshMs ?? 500,
    traceIntervalMs: options.traceIntervalMs ?? 1000,
    chartsIntervalMs: options.chartsIntervalMs ?? 5000,
    models: options.models ?? true,
  });
  const streams = new Set<{ close(): void }>();
  const app = dashboardApp({
    model,
    vegaSource,
    streams,
    listPollMs: 2000,
    ...(options.token ? { token: options.token } : {}),
  });
  const host = options.host ?? "127.0.0.1";
  const server = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_DASHBOARD_PORT, hostname: host });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, host, options.port)));
    server.once("listening", () => resolve((server.address() as AddressInfo).port));
  }).catch(async (error) => {
    await model.close();
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}/`,
    port,
    close: () => {
      closing ??= (async () => {
        for (const s of streams) s.close();
        await model.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as import("node:http").Server).closeAllConnections?.();
        });
        await store.close();
      })();
      return closing;
    },
  };
}

function listenError(error: unknown, host: string, port: number | undefined): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
    return new DashboardOptionsError(
      `Cannot listen on ${host}:${port ?? DEFAULT_DASHBOARD_PORT} (${String(code)}): ` +
        (code === "EADDRNOTAVAIL"
          ? "this machine has no such address; check --host."
          : "the port is taken or not allowed; pick another with --port (0 picks a free one)."),
      { option: code === "EADDRNOTAVAIL" ? "--host" : "--port", cause: error },
    );
  }
  return error;
}
