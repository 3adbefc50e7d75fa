/**
 * Import cost of the package: median wall time and CPU time of a fresh `node -e 'import(".../dist/index.js")'`,
 * and the modules that import loads: how many files, how many of them belong to the database drivers
 * (better-sqlite3, pg and their dependencies) and to Kysely's dialects. An empty `node -e` is timed
 * alongside (interleaved), so Node's own start-up can be told apart from the package's share.
 *
 * `npm run bench -- startup [--dist <path>] [--no-build] [--repeats N] [--label NAME]`
 * Without `--dist`, builds this checkout (`npm run build`, skipped with `--no-build`) and measures its
 * `dist/`; with `--dist`, measures that build as it is. Results are kept per label (default "current",
 * or "dist:<path>" with `--dist`) in `bench/results/startup.json`, so a baseline and a change sit side by side.
 */
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { machineInfo, median, printTable, RESULTS_DIR, writeResult } from "./common.js";
import { driverPackages, loadedModules, packageOf, type TimedRun, timeImport } from "./startup-probe.js";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const DRIVER_ROOTS = ["better-sqlite3", "pg"];

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

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

export async function main(args: string[]): Promise<void> {
  const repeats = Number(flag(args, "repeats") ?? 21);
  const distArg = flag(args, "dist");
  const distDir = resolve(distArg ?? join(REPO, "dist"));
  const label = flag(args, "label") ?? (distArg ? `dist:${distDir}` : "current");
  if (!distArg && !args.includes("--no-build")) {
    console.log("Building (npm run build)...");
    execSync("npm run build", { cwd: REPO, stdio: "ignore" });
  }
  const entry = join(distDir, "index.js");
  if (!existsSync(entry)) throw new Error(`No build at ${entry}: run npm run build there first.`);
  const url = pathToFileURL(entry).href;

  timeImport(url); // warms the file-system cache, so the first timed run is not an outlier
  const imports: TimedRun[] = [];
  const empty: TimedRun[] = [];
  for (let i = 0; i < repeats; i++) {
    imports.push(timeImport(url));
    empty.push(timeImport(null));
  }
  const modules = countModules(distDir, url);
  const result = {
    dist: distDir,
    repeats,
    importMedian: medians(imports),
    emptyNodeMedian: medians(empty),
    modules,
    machine: machineInfo(),
  };
  const results = { ...previousResults(), [label]: result };
  const path = writeResult("startup", {
    protocol:
      "Per label: `repeats` fresh processes of node -e 'import(<dist>/index.js)' interleaved with as many " +
      "empty node -e processes; medians of wall time (spawn to exit, seen by the parent), the child's " +
      "performance.now() when the import settled, and its CPU (user + system). Modules: one more process " +
      "with a loader hook (ESM files) plus require.cache (CommonJS files); driver files belong to " +
      `${DRIVER_ROOTS.join(", ")} or their dependencies.`,
    results,
  });
  printTable(
    Object.entries(results as Record<string, typeof result>).map(([name, r]) => ({
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
