/**
 * Import cost of the package: median wall time and CPU time of a fresh `node -e 'import(".../dist/index.js")'`,
 * and the modules that import loads: how many files, how many of them belong to the database drivers
 * (better-sqlite3, pg and their dependencies) and to Kysely's dialects. An empty `node -e` is timed
 * alongside (interleaved), so Node's own start-up can be told apart from the package's share.
 *
 * `npm run bench -- startup [--dist <path>[,<path>...]] [--no-build] [--repeats N] [--label NAME[,NAME...]]`
 * Without `--dist`, builds this checkout (`npm run build`, skipped with `--no-build`) and measures its
 * `dist/`; with `--dist`, measures those builds as they are, taking turns (so that the machine's load
 * hits them alike). Results are kept per label (default "current", or "dist:<path>" with `--dist`) in
 * `bench/results/startup.json`, so a baseline and a change sit side by side.
 */
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { flag, machineInfo, median, printTable, RESULTS_DIR, writeResult } from "./common.js";
import { driverPackages, loadedModules, packageOf, type TimedRun, timeImport } from "./startup-probe.js";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const DRIVER_ROOTS = ["better-sqlite3", "pg"];

function medians(runs: readonly TimedRun[]) {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    childMs: median(runs.map((r) => r.childMs)),
    cpuMs: median(runs.map((r) => r.cpuUserMs + r.cpuSystemMs)),
    cpuUserMs: median(runs.map((r) => r.cpuUserMs)),
    cpuSystemMs: median(runs.map((r) => r.cpuSystemMs)),
  };
}

function countModules(distDir: string, url: string) {
  const { files, builtins } = loadedModules(url);
  const drivers = driverPackages(distDir, DRIVER_ROOTS);
  const byPackage: Record<string, number> = {};
  let own = 0;
  let driverFiles = 0;
  let kyselyDialectFiles = 0;
  for (const file of files) {
    const pkg = packageOf(file);
    if (pkg === null) {
      own++;
      continue;
    }
    byPackage[pkg] = (byPackage[pkg] ?? 0) + 1;
    if (drivers.has(pkg)) driverFiles++;
    if (pkg === "kysely" && file.includes(`${sep}dialect${sep}`)) kyselyDialectFiles++;
  }
  return {
    files: files.length,
    ownFiles: own,
    driverFiles,
    kyselyDialectFiles,
    builtins: builtins.length,
    byPackage,
    driverPackagesLoaded: Object.keys(byPackage).filter((p) => drivers.has(p)),
  };
}

function previousResults(): Record<string, unknown> {
  const path = join(RESULTS_DIR, "startup.json");
  if (!existsSync(path)) return {};
  return (JSON.parse(readFileSync(path, "utf8")) as { results?: Record<string, unknown> }).results ?? {};
}

/** One build to measure: its label, dist folder and entry URL. */
interface Target {
  label: string;
  distDir: string;
  url: string;
}

function targetsOf(args: string[]): Target[] {
  const distArg = flag(args, "dist");
  const dists = distArg ? distArg.split(",").map((d) => resolve(d)) : [join(REPO, "dist")];
  const labels = flag(args, "label")?.split(",") ?? [];
  if (!distArg && !args.includes("--no-build")) {
    console.log("Building (npm run build)...");
    execSync("npm run build", { cwd: REPO, stdio: "ignore" });
  }
  return dists.map((distDir, i) => {
    const entry = join(distDir, "index.js");
    if (!existsSync(entry)) throw new Error(`No build at ${entry}: run npm run build there first.`);
    const label = labels[i] ?? (distArg ? `dist:${distDir}` : "current");
    return { label, distDir, url: pathToFileURL(entry).href };
  });
}

export async function main(args: string[]): Promise<void> {
  const repeats = Number(flag(args, "repeats") ?? 21);
  const targets = targetsOf(args);
  for (const t of targets) timeImport(t.url); // warms the file-system cache: no first-run outlier
  // Builds and the empty process take turns, so a change in the machine's load hits all alike.
  const imports = targets.map((): TimedRun[] => []);
  const empty: TimedRun[] = [];
  for (let i = 0; i < repeats; i++) {
    for (const [j, t] of targets.entries()) imports[j]!.push(timeImport(t.url));
    empty.push(timeImport(null));
  }
  const results: Record<string, unknown> = previousResults();
  targets.forEach((t, j) => {
    results[t.label] = {
      dist: t.distDir,
      repeats,
      importMedian: medians(imports[j]!),
      emptyNodeMedian: medians(empty),
      measuredWith: targets.map((other) => other.label),
      modules: countModules(t.distDir, t.url),
      machine: machineInfo(),
    };
  });
  const path = writeResult("startup", {
    protocol:
      "Per label: `repeats` fresh processes of node -e 'import(<dist>/index.js)', taking turns with the other " +
      "builds measured in the same run (measuredWith) and with as many empty node -e processes; medians of " +
      "wall time (spawn to exit, seen by the parent), the child's performance.now() when the import settled, " +
      "and its CPU (user + system). Modules: one more process with a loader hook (ESM files) plus " +
      `require.cache (CommonJS files); driver files belong to ${DRIVER_ROOTS.join(", ")} or their dependencies.`,
    results,
  });
  type Result = {
    importMedian: ReturnType<typeof medians>;
    emptyNodeMedian: ReturnType<typeof medians>;
    modules: ReturnType<typeof countModules>;
  };
  printTable(
    Object.entries(results as Record<string, Result>).map(([name, r]) => ({
      label: name,
      "wall ms": r.importMedian.wallMs,
      "import-only wall ms": r.importMedian.wallMs - r.emptyNodeMedian.wallMs,
      "cpu ms": r.importMedian.cpuMs,
      "import-only cpu ms": r.importMedian.cpuMs - r.emptyNodeMedian.cpuMs,
      modules: r.modules.files,
      "driver modules": r.modules.driverFiles,
      "kysely dialects": r.modules.kyselyDialectFiles,
    })),
  );
  console.log(`\nwrote ${path}`);
}
