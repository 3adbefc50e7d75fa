import { createHash } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { requireToken } from "./dashboard-auth.js";
import type { DashboardModel } from "./dashboard-model.js";
import type { ExperimentWatcher, WatcherEvent } from "./experiment-watcher.js";
import { DASHBOARD_CSS } from "./pages/dashboard-css.js";
import { DASHBOARD_SCRIPT } from "./pages/dashboard-script.js";
import { type AssetUrls, type PageBoot, pageShell } from "./pages/page-shell.js";

/** What the routes need. */
export interface DashboardAppOptions {
  readonly model: DashboardModel;
  /** Required on every request when set. */
  readonly token?: string;
  /** The Vega runtime's source, served as an asset. */
  readonly vegaSource: string;
  /** Milliseconds between two polls of the experiments list by its page. */
  readonly listPollMs: number;
  /** Open event streams, closed when the dashboard stops. */
  readonly streams: Set<{ close(): void }>;
}

interface Asset {
  readonly url: string;
  readonly type: string;
  readonly body: string;
}

/** A content-hashed asset: its URL changes when its content does, so it is cached for good. */
function asset(name: string, ext: string, type: string, body: string): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { url: `/assets/${name}-${hash}.${ext}`, type, body };
}

/**
 * Pages may run their own script and the Vega runtime (which compiles expressions with `Function`:
 * 'unsafe-eval'), nothing inline and nothing from elsewhere: even markup injected by a bug could not run.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** The dashboard's routes: pages, the JSON API, the event streams and the assets. */
export function dashboardApp(options: DashboardAppOptions): Hono {
  const { model } = options;
  const assets = {
    css: asset("dashboard", "css", "text/css; charset=utf-8", DASHBOARD_CSS),
    script: asset("dashboard", "js", "text/javascript; charset=utf-8", DASHBOARD_SCRIPT),
    vega: asset("vega", "js", "text/javascript; charset=utf-8", options.vegaSource),
  };
  const urls: AssetUrls = { css: assets.css.url, script: assets.script.url, vega: assets.vega.url };
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });
  if (options.token !== undefined) app.use("*", requireToken(options.token));
  for (const a of Object.values(assets)) {
    app.get(a.url, (c) =>
      c.body(a.body, 200, {
        "Content-Type": a.type,
        "Cache-Control": "private, max-age=31536000, immutable",
      }),
    );
  }
  const page = (boot: Omit<PageBoot, "storage" | "listPollMs">, state?: string) =>
    pageShell({ ...boot, storage: model.description, listPollMs: options.listPollMs }, urls, state);
  app.get("/", (c) => c.html(page({ page: "list" })));
  app.get("/experiments/:name", async (c) => {
    const name = c.req.param("name");
    const found = await findWatcher(model, name);
    if (found === "missing") return c.html(page({ page: "not-found", name }), 404);
    const state = typeof found === "string" ? undefined : found.stateScriptJson();
    return c.html(page({ page: "experiment", name }, state));
  });
  app.get("/api/experiments", async (c) => c.json(await model.list()));
  app.get("/api/experiments/:name", async (c) => {
    const name = c.req.param("name");
    const found = await findWatcher(model, name);
    if (found === "missing")
      return c.json({ error: `No experiment named ${JSON.stringify(name)} is stored.` }, 404);
    if (typeof found === "string") return c.json({ error: found }, 503);
    return c.body(found.stateJson(), 200, { "Content-Type": "application/json; charset=utf-8" });
  });
  app.get("/api/experiments/:name/charts", async (c) => {
    const name = c.req.param("name");
    const found = await findWatcher(model, name);
    if (found === "missing")
      return c.json({ error: `No experiment named ${JSON.stringify(name)} is stored.` }, 404);
    if (typeof found === "string") return c.json({ error: found }, 503);
    return c.body(found.chartsJson(), 200, { "Content-Type": "application/json; charset=utf-8" });
  });
  app.get("/api/experiments/:name/events", async (c) => {
    const found = await findWatcher(model, c.req.param("name"));
    if (found === "missing") return c.json({ error: "No such experiment." }, 404);
    if (typeof found === "string") return c.json({ error: found }, 503);
    const since = Number(c.req.header("last-event-id") ?? c.req.query("since") ?? 0);
    return streamSSE(c, (stream) =>
      streamEvents(stream, found, Number.isFinite(since) ? since : 0, options.streams),
    );
  });
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.notFound((c) => c.text("404 Not Found\n", 404));
  return app;
}

/** The experiment's watcher, "missing" when the store holds none of that name, or why it cannot be read. */
async function findWatcher(
  model: DashboardModel,
  name: string,
): Promise<ExperimentWatcher | "missing" | string> {
  try {
    return (await model.watcher(name)) ?? "missing";
  } catch (error) {
    return `The experiment cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

type SseStream = Parameters<Parameters<typeof streamSSE>[1]>[0];

/**
 * Sends a page the rows that changed after the version it loaded, then every change as it happens, until
 * the page goes away or the dashboard stops. Each event's id is the version, so a reconnecting
 * EventSource (Last-Event-ID) gets only what it missed.
 */
async function streamEvents(
  stream: SseStream,
  watcher: ExperimentWatcher,
  since: number,
  streams: Set<{ close(): void }>,
): Promise<void> {
  let queue = Promise.resolve();
  // Writes fail once the page is gone; the abort handler then ends the stream.
  const write = (fn: () => Promise<unknown>) => {
    queue = queue.then(fn).then(
      () => undefined,
      () => undefined,
    );
  };
  const send = (event: WatcherEvent) => {
    const { type, ...rest } = event;
    const name = type === "error" ? "failure" : type;
    const id = type === "trials" ? String(event.version) : undefined;
    write(() => stream.writeSSE({ event: name, data: JSON.stringify(rest), ...(id ? { id } : {}) }));
  };
  let handle: { close(): void } = { close: () => undefined };
  const done = new Promise<void>((resolve) => {
    handle = { close: resolve };
    stream.onAbort(() => resolve());
  });
  streams.add(handle);
  const unsubscribe = watcher.subscribe(send);
  const state = watcher.state();
  if (state.version > since) {
    send({
      type: "trials",
      version: state.version,
      summary: state.summary,
      columns: state.columns,
      rows: watcher.rowsSince(since),
    });
  }
  void watcher.refresh();
  const ping = setInterval(() => write(() => stream.write(": ping\n\n")), 15_000);
  try {
    await done;
  } finally {
    clearInterval(ping);
    unsubscribe();
    streams.delete(handle);
    await queue;
  }
}
