/**
 * What one fresh `node -e 'import(".../dist/index.js")'` costs and loads. The timed runs are exactly that
 * command; the counting run adds a module loader hook, which would slow the timed runs, so it is separate.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** One timed process: wall time seen by the parent, and the child's own clock and CPU at the end. */
export interface TimedRun {
  wallMs: number;
  /** From the child's process start to the import resolving (its performance.now()). */
  childMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

// Prints the child's elapsed time and CPU use once the import settled (or nothing, when it threw).
const REPORT =
  "const c = process.cpuUsage(); process.stdout.write(JSON.stringify({ childMs: performance.now(), " +
  "cpuUserMs: c.user / 1000, cpuSystemMs: c.system / 1000 }));";

function runNode(args: string[]): { stdout: string; wallMs: number } {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  const wallMs = performance.now() - t0;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  }
  return { stdout: result.stdout, wallMs };
}

/** `node -e 'import(url)'` once; `url` null runs an empty script (what Node itself costs). */
export function timeImport(url: string | null): TimedRun {
  const code = url === null ? REPORT : `import(${JSON.stringify(url)}).then(() => { ${REPORT} });`;
  const { stdout, wallMs } = runNode(["-e", code]);
  return { wallMs, ...(JSON.parse(stdout) as Omit<TimedRun, "wallMs">) };
}

// Loader hook run off-thread by Node: appends every URL it loads to a file, synchronously, so that
// nothing is lost when the main thread reads the file after the import.
const HOOKS = `import { appendFileSync } from "node:fs";
let out;
export async function initialize(data) { out = data.out; }
export async function load(url, context, nextLoad) {
  appendFileSync(out, url + "\\n");
  return nextLoad(url, context);
}
`;

/** Files and built-ins loaded by importing `url` in a fresh process. */
export interface LoadedModules {
  /** Absolute paths of JavaScript files (ESM through the hook, CommonJS from require.cache). */
  files: string[];
  /** Built-in modules imported as ESM (`node:fs`, ...). */
  builtins: string[];
}

export function loadedModules(url: string): LoadedModules {
  const dir = mkdtempSync(join(tmpdir(), "ascent-startup-"));
  try {
    const out = join(dir, "loaded.txt");
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(hooks, HOOKS);
    writeFileSync(out, "");
    const register =
      `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)}, ` +
      `{ data: { out: ${JSON.stringify(out)} } });`;
    const registerFile = join(dir, "register.mjs");
    writeFileSync(registerFile, register);
    // CommonJS files required by CommonJS files (the drivers' insides) bypass the hook: read them
    // from require.cache, which this -e script (a CommonJS context) shares with the loader.
    const code = `import(${JSON.stringify(url)}).then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
    const { stdout } = runNode(["--import", pathToFileURL(registerFile).href, "-e", code]);
    const cjs = JSON.parse(stdout) as string[];
    const urls = readFileSync(out, "utf8").split("\n").filter(Boolean);
    const files = new Set<string>(cjs.filter((p) => p.startsWith(sep)));
    const builtins = new Set<string>();
    for (const u of urls) {
      if (u.startsWith("file:")) files.add(fileURLToPath(u));
      else if (u.startsWith("node:")) builtins.add(u);
    }
    files.delete(registerFile);
    return { files: [...files].sort(), builtins: [...builtins].sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The npm package a file belongs to (the folder after its last `node_modules`), or null for own files. */
export function packageOf(file: string): string | null {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const [first, second] = file.slice(at + marker.length).split(sep);
  return first?.startsWith("@") ? `${first}/${second}` : (first ?? null);
}

/**
 * The database driver packages and everything they depend on, as installed next to `distDir`
 * (found by walking up to the nearest `node_modules` that holds them).
 */
export function driverPackages(distDir: string, roots: readonly string[]): Set<string> {
  let dir = distDir;
  while (!existsSync(join(dir, "node_modules", roots[0]!)) && dirname(dir) !== dir) dir = dirname(dir);
  const nodeModules = join(dir, "node_modules");
  const found = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (found.has(name)) continue;
    found.add(name);
    const manifest = join(nodeModules, name, "package.json");
    if (!existsSync(manifest)) continue;
    const deps = (JSON.parse(readFileSync(manifest, "utf8")) as { dependencies?: Record<string, string> })
      .dependencies;
    queue.push(...Object.keys(deps ?? {}));
  }
  return found;
}
