/**
 * `npm run bench -- runners`: the three built-in runners' benchmarks in turn (`runners-queue`,
 * `runners-command`, `runners-function`, each also runnable alone and writing its own JSON), then one
 * summary of the figures with targets, written to `bench/results/runners.json`.
 *
 * Flags: `--only queue,command,function` runs a subset (the summary reads the others' last results).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flag, machineInfo, printTable, RESULTS_DIR, writeResult } from "./common.js";

const PARTS = {
  queue: () => import("./runners-queue.js"),
  command: () => import("./runners-command.js"),
  function: () => import("./runners-function.js"),
} as const;
type Part = keyof typeof PARTS;

interface SummaryRow {
  [key: string]: string | number;
  figure: string;
  value: number | string;
  target: string;
  met: string;
}

export async function main(args: string[]): Promise<void> {
  const only = (flag(args, "only")?.split(",") ?? Object.keys(PARTS)) as Part[];
  for (const part of only) {
    if (!(part in PARTS)) throw new Error(`--only: unknown part "${part}" (queue, command, function)`);
    console.log(`\n== runners-${part}`);
    await (await PARTS[part]()).main([]);
  }
  const rows = summaryRows();
  console.log("\n== runners: summary");
  printTable(rows);
  console.log(`\nwrote ${writeResult("runners", { machine: machineInfo(), summary: rows })}`);
}

/** The figures the runners are judged by, read from the parts' result files. */
function summaryRows(): SummaryRow[] {
  const queue = readResult("runners-queue")?.summary;
  const command = readResult("runners-command")?.summary;
  const fn = readResult("runners-function")?.summary as
    | { variant: string; trialsPerSecond: number }[]
    | undefined;
  const throughput = queue?.throughput?.trialsPerSecondMedian;
  const speedup = queue?.scaling?.speedupOf4Over1;
  const overhead = command?.runnerOverheadMs;
  const slowestFunction = fn ? Math.min(...fn.map((r) => r.trialsPerSecond)) : undefined;
  return [
    row(
      "BullMQ, 1,000 trivial trials, 4 workers, parallelism 16 (trials/s)",
      throughput,
      ">= 200",
      (v) => v >= 200,
    ),
    row("BullMQ, Scheduler CPU per trial (ms)", queue?.throughput?.schedulerCpuMsPerTrialMedian, "-", null),
    row("BullMQ, 40 x 500 ms trials: 4 workers vs 1 (speed-up)", speedup, ">= 3.3", (v) => v >= 3.3),
    row("CommandRunner overhead beyond a bare spawn (ms/trial)", overhead, "< 10", (v) => v < 10),
    row(
      "FunctionRunner, 10,000 instant trials, slowest variant (trials/s)",
      slowestFunction,
      ">= 1000",
      (v) => v >= 1000,
    ),
  ];
}

function row(
  figure: string,
  value: number | undefined,
  target: string,
  meets: ((v: number) => boolean) | null,
): SummaryRow {
  if (value === undefined || value === null || !Number.isFinite(value)) {
    return { figure, value: "not measured", target, met: "-" };
  }
  return { figure, value, target, met: meets === null ? "-" : meets(value) ? "yes" : "NO" };
}

// biome-ignore lint/suspicious/noExplicitAny: the parts' result files are read as loose JSON.
function readResult(name: string): any {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), "utf8"));
  } catch {
    return undefined;
  }
}
