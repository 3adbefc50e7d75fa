/**
 * Dashboard responsiveness: an experiment of 2,000 trials in a SQLite file while a run in another
 * process writes to it (a trial completes and another starts every 250 ms). Measures, in headless
 * Chromium, the page load of the experiment (navigation until the trials table and the trace are
 * rendered; the median of `--loads` loads, each in a new page; target < 500 ms), the first load (which
 * reads the experiment from the store), and the response times of the JSON API.
 *
 * `npm run bench -- dashboard [--trials 2000] [--loads 7] [--requests 20]`
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { launchTestBrowser } from "../test/support/chromium.js";
import { storeCompletedTrials } from "../test/support/stored-trials.js";
import { startTsxChild } from "../test/support/tsx-child.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";

const NAME = "dashboard_bench";
/** A fast run: four trials complete (and four start) every second. */
const WRITER_INTERVAL_MS = 250;

/** Stores an experiment of `size` completed trials (4 parameters, one objective), in bulk. */
export async function seed(path: string, size: number): Promise<void> {
  await storeCompletedTrials(path, NAME, size, {
    parameters: ["x1", "x2", "x3", "x4"],
    loss: (i) => Math.sin(i),
  });
}

/** Times of `n` GETs of `url` (ms), the body read whole. */
async function timeRequests(url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return times;
}

export async function main(args: string[]): Promise<void> {
  const size = Number(flag(args, "trials") ?? 2000);
  const loads = Number(flag(args, "loads") ?? 7);
  const requests = Number(flag(args, "requests") ?? 20);
  // First, so that a missing browser fails the bench before any child process is started.
  const browser = await launchTestBrowser();
  const dir = mkdtempSync(join(tmpdir(), "ascent-bench-dashboard-"));
  const path = join(dir, "bench.db");
  await seed(path, size);
  const writer = spawn(
    process.execPath,
    ["--import", "tsx", "bench/dashboard-writer.ts", path, NAME, String(WRITER_INTERVAL_MS)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let writerOut = "";
  writer.stdout.on("data", (c: Buffer) => {
    writerOut += c.toString();
  });
  while (!writerOut.includes("writing")) await new Promise((r) => setTimeout(r, 50));
  // The dashboard runs as `ascent dashboard` does, in its own process: not on the driver's event loop.
  const server = startTsxChild("src/cli/bin.ts", ["dashboard", "--storage", `sqlite:${path}`, "--port", "0"]);
  while (!/Ascent dashboard: http/.test(server.out())) {
    if (server.child.exitCode !== null) throw new Error(`ascent dashboard failed: ${server.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const dashboard = { url: server.out().match(/Ascent dashboard: (http\S+)/)![1]! };
  const pageUrl = new URL(`experiments/${NAME}`, dashboard.url).href;
  try {
    // In-page time from navigation start until the table and the trace were painted (the page's own
    // loadedMs mark), and the driver's wall time until it saw that mark (adds the protocol's latency).
    const loadOnce = async () => {
      const { page, errors } = await browser.newPage();
      const t0 = performance.now();
      await page.goto(pageUrl);
      await page.waitForSelector("body[data-loaded-ms]", { state: "attached", timeout: 60_000 });
      const wall = performance.now() - t0;
      const ms = Number(await page.locator("body").getAttribute("data-loaded-ms"));
      const rows = Number((await page.locator("#pager-info").textContent())?.match(/of (\d+)/)?.[1] ?? 0);
      await page.close();
      if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
      return { ms, wall, rows };
    };
    const first = await loadOnce();
    const times: number[] = [];
    const walls: number[] = [];
    let rows = 0;
    for (let k = 0; k < loads; k++) {
      const load = await loadOnce();
      times.push(load.ms);
      walls.push(load.wall);
      rows = load.rows;
    }
    const list = await timeRequests(new URL("api/experiments", dashboard.url).href, requests);
    const state = await timeRequests(new URL(`api/experiments/${NAME}`, dashboard.url).href, requests);
    writer.kill("SIGTERM");
    await new Promise((r) => writer.once("exit", r));
    const written = Number(writerOut.match(/completed (\d+)/)?.[1] ?? 0);
    const table = [
      { measure: "first page load (reads the experiment)", medianMs: first.ms, p90Ms: first.ms, n: 1 },
      {
        measure: "page load (table and trace painted)",
        medianMs: median(times),
        p90Ms: quantile(times, 0.9),
        n: loads,
      },
      {
        measure: "  the same, as the driver saw it",
        medianMs: median(walls),
        p90Ms: quantile(walls, 0.9),
        n: loads,
      },
      { measure: "GET /api/experiments", medianMs: median(list), p90Ms: quantile(list, 0.9), n: requests },
      {
        measure: `GET /api/experiments/${NAME}`,
        medianMs: median(state),
        p90Ms: quantile(state, 0.9),
        n: requests,
      },
    ];
    printTable(table);
    console.log(
      `${size} stored trials; the writer completed ${written} more meanwhile; the last page listed ${rows} rows.`,
    );
    const file = writeResult("dashboard", {
      machine: machineInfo(),
      trials: size,
      writerIntervalMs: WRITER_INTERVAL_MS,
      loadAverageAtEnd: loadavg(),
      trialsWrittenDuringBench: written,
      rowsShownOnLastLoad: rows,
      targetPageLoadMs: 500,
      pageLoadMs: { first: first.ms, median: median(times), p90: quantile(times, 0.9), all: times },
      driverWallMs: { first: first.wall, median: median(walls), p90: quantile(walls, 0.9), all: walls },
      apiMs: {
        list: { median: median(list), p90: quantile(list, 0.9) },
        experiment: { median: median(state), p90: quantile(state, 0.9) },
      },
    });
    console.log(`Wrote ${file}`);
  } finally {
    writer.kill("SIGKILL");
    await browser.close();
    server.child.kill("SIGTERM");
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
