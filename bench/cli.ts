/**
 * Start-up cost of the `ascent` command: median wall time of fresh `node dist/cli/bin.js --help` and
 * `node dist/cli/bin.js list --storage sqlite:<small store>` processes, against an empty `node -e ''`
 * (what Node itself costs), all taking turns so the machine's load hits them alike. The small store holds
 * 3 experiments of 10 trials each. The target is 300 ms wall for both commands.
 *
 * `npm run bench -- cli [--repeats N] [--no-build]`: builds first (`npm run build`, skipped with
 * `--no-build`), writes `bench/results/cli.json` and prints a table.
 */
import { execSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "../src/service/client.js";
import { DBSettings } from "../src/storage/db-settings.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(REPO, "dist", "cli", "bin.js");
const TARGET_MS = 300;

/**
 * Preloaded into every timed process: at exit it writes the process's own CPU time (user + system, ms)
 * to stderr after a marker. CPU time is what the command costs; wall time also counts waiting for a
 * core, which on a busy machine can dwarf it.
 */
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => { const c = process.cpuUsage(); ' +
    'writeSync(2, "\\nCPU_MS " + (c.user + c.system) / 1000 + "\\n"); });',
)}`;

/** Wall and CPU time (ms) of one process running `args`; throws when it fails. */
function timeNode(args: readonly string[]): { wallMs: number; cpuMs: number } {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ["--import", CPU_PROBE, ...args], { encoding: "utf8" });
  const wallMs = performance.now() - t0;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  }
  const cpu = /CPU_MS ([0-9.]+)/.exec(result.stderr);
  if (!cpu) throw new Error(`node ${args.join(" ")} did not report its CPU time: ${result.stderr}`);
  return { wallMs, cpuMs: Number(cpu[1]) };
}

/** A SQLite store with `experiments` experiments of `trials` completed Sobol trials each. */
async function smallStore(dir: string, experiments: number, trials: number): Promise<string> {
  const url = `sqlite:${join(dir, "ascent.db")}`;
  const db = new DBSettings(url);
  for (let e = 0; e < experiments; e++) {
    const client = new Client({ seed: e, dbSettings: db, verboseLogging: false });
    await client.createExperiment({
      name: `experiment_${e}`,
      parameters: [
        { name: "x", type: "range", bounds: [0, 1] },
        { name: "y", type: "range", bounds: [0, 1] },
      ],
      objectives: { loss: { minimize: true } },
      chooseGenerationStrategyOptions: { forceRandomSearch: true },
    });
    for (let t = 0; t < trials; t++) {
      const { trialIndex, parameters } = await client.getNextTrial();
      await client.completeTrial(trialIndex, (Number(parameters.x) - 0.3) ** 2 + Number(parameters.y));
    }
  }
  await (await db.openStore()).close();
  return url;
}

export async function main(args: string[]): Promise<void> {
  const repeats = Number(flag(args, "repeats") ?? 21);
  if (!args.includes("--no-build")) {
    console.log("Building (npm run build)...");
    execSync("npm run build", { cwd: REPO, stdio: "ignore" });
  }
  if (!existsSync(BIN)) throw new Error(`No build at ${BIN}: run npm run build first.`);
  const dir = mkdtempSync(join(tmpdir(), "ascent-bench-cli-"));
  try {
    const url = await smallStore(dir, 3, 10);
    const commands: Record<string, string[]> = {
      "node -e ''": ["-e", ""],
      "ascent --help": [BIN, "--help"],
      "ascent list": [BIN, "list", "--storage", url],
      "ascent show": [BIN, "show", "experiment_0", "--storage", url],
    };
    const times: Record<string, Timed[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (const argv of Object.values(commands)) timeNode(argv); // warms the file-system cache
    for (let i = 0; i < repeats; i++) {
      for (const [name, argv] of Object.entries(commands)) times[name]!.push(timeNode(argv));
    }
    report(times, repeats);
    console.log(`(load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Timed = ReturnType<typeof timeNode>;

function report(times: Record<string, Timed[]>, repeats: number): void {
  const empty = times["node -e ''"]!;
  const emptyWall = median(empty.map((r) => r.wallMs));
  const emptyCpu = median(empty.map((r) => r.cpuMs));
  const results = Object.fromEntries(
    Object.entries(times).map(([name, runs]) => {
      const wall = runs.map((r) => r.wallMs);
      const cpu = median(runs.map((r) => r.cpuMs));
      return [
        name,
        {
          medianWallMs: median(wall),
          p90WallMs: quantile(wall, 0.9),
          wallOverNodeMs: median(wall) - emptyWall,
          medianCpuMs: cpu,
          cpuOverNodeMs: cpu - emptyCpu,
        },
      ];
    }),
  );
  const path = writeResult("cli", {
    protocol:
      `${repeats} fresh processes per command, taking turns (after one warm-up round); wall time from spawn to ` +
      "exit as the parent sees it, and the process's own CPU time (user + system) reported at exit; *OverNodeMs = " +
      "median minus the empty node -e median. Load average when measured: " +
      `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores. Store: SQLite, 3 ` +
      `experiments x 10 completed trials. Target: ${TARGET_MS} ms median wall for --help and list.`,
    targetMs: TARGET_MS,
    results,
    machine: machineInfo(),
  });
  printTable(
    Object.entries(results).map(([name, r]) => ({
      command: name,
      "median wall ms": r.medianWallMs,
      "p90 wall ms": r.p90WallMs,
      "wall over node": r.wallOverNodeMs,
      "median cpu ms": r.medianCpuMs,
      "cpu over node": r.cpuOverNodeMs,
    })),
  );
  console.log(`\nwrote ${path}`);
}
