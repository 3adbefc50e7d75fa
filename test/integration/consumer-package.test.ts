/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a small TypeScript project
 * that has neither `@types/node` nor the DOM library (`types: []`, `lib: ["ES2023"]`) and checks library
 * declarations (`skipLibCheck: false`). The README's quick start must compile there as written and run.
 * Everything is offline: the package's own dependencies are linked from this checkout's node_modules.
 * The installed `ascent` command runs, and shares its classes with the library a user's module imports.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(REPO, "package.json"));
const TSC = require.resolve("typescript/bin/tsc");

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The first ```ts block after the "## Quick start" heading of the README. */
function readmeQuickStart(readme: string): string {
  const section = readme.slice(readme.indexOf("## Quick start"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no ```ts block under ## Quick start");
  return match[1]!;
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 80_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Builds the package into `dir/pkg` (dist only, no source maps) and packs it; returns the tarball. */
function packPackage(dir: string, manifest: Manifest): string {
  const pkg = join(dir, "pkg");
  mkdirSync(pkg);
  for (const file of ["package.json", "README.md"]) copyFileSync(join(REPO, file), join(pkg, file));
  // The same output as `npm run build` without checking the sources again (the type check does that):
  // the declarations from tsc, the code bundled with shared chunks.
  const declarations = ["-p", join(REPO, "tsconfig.build.json"), "--outDir", join(pkg, "dist")];
  execFileSync(process.execPath, [TSC, ...declarations, "--emitDeclarationOnly", "--noCheck"], {
    cwd: REPO,
    stdio: "pipe",
  });
  execFileSync(process.execPath, [join(REPO, "scripts", "bundle.mjs"), join(pkg, "dist"), "--no-sourcemap"], {
    cwd: REPO,
    stdio: "pipe",
  });
  const packed = run("npm", ["pack", "--offline", "--ignore-scripts", "--pack-destination", dir], pkg);
  expect(packed.status, packed.output).toBe(0);
  return join(dir, `${manifest.name}-${manifest.version}.tgz`);
}

/**
 * A consumer project with the tarball installed. The package's runtime dependencies are linked from this
 * checkout (npm keeps a link that satisfies the range), so npm needs neither the network nor its cache.
 */
function consumerProject(dir: string, tarball: string, manifest: Manifest): string {
  const project = join(dir, "consumer");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const name of Object.keys(deps)) {
    const target = join(REPO, "node_modules", name);
    if (!existsSync(target)) continue; // an optional peer not installed here
    mkdirSync(dirname(join(project, "node_modules", name)), { recursive: true });
    symlinkSync(target, join(project, "node_modules", name), "dir");
  }
  const installed = run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball],
    project,
  );
  expect(installed.status, installed.output).toBe(0);
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2023",
        lib: ["ES2023"],
        types: [],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        skipLibCheck: false,
        outDir: "out",
      },
      include: ["*.ts"],
    }),
  );
  // The consumer's own code prints; ES2023 alone declares no console, the consumer's environment does.
  writeFileSync(
    join(project, "environment.d.ts"),
    "declare const console: { log(...values: unknown[]): void; table(value: unknown): void };\n",
  );
  return project;
}

describe("the packed package in a TypeScript project without @types/node", () => {
  let project: string;
  let manifest: Manifest;
  const dir = mkdtempSync(join(tmpdir(), "ascent-consumer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Manifest;
    project = consumerProject(dir, packPackage(dir, manifest), manifest);
    writeFileSync(
      join(project, "quick-start.ts"),
      readmeQuickStart(readFileSync(join(REPO, "README.md"), "utf8")),
    );
  }, 120_000); // about 20 s of CPU: generous for a loaded machine

  it("installs the tarball itself, not a link to this checkout", () => {
    const installed = join(project, "node_modules", manifest.name);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(installed, "dist", "index.d.ts")).isFile()).toBe(true);
  });

  it("compiles the README quick start, with Ascent's declarations checked", () => {
    const compiled = run(process.execPath, [TSC, "-p", "tsconfig.json"], project);
    expect(compiled.output).toBe("");
    expect(compiled.status).toBe(0);
  }, 90_000);

  it("runs the compiled quick start to the end", () => {
    const ran = run(process.execPath, [join("out", "quick-start.js")], project);
    expect(ran.status, ran.output).toBe(0);
    // The trials table lists the 20 trials, all completed, and the best parameters were printed.
    expect(ran.output.match(/COMPLETED/g)).toHaveLength(20);
    expect(ran.output).toContain("trialIndex");
    expect(ran.output).toMatch(/threads/);
  }, 90_000);

  it("installs a working `ascent` command", () => {
    const ran = run(join(project, "node_modules", ".bin", "ascent"), ["--version"], project);
    expect(ran.status, ran.output).toBe(0);
    expect(ran.output.trim()).toBe(manifest.version);
  });

  it("shares one copy of each class between the library entry and the config entry the CLI uses", () => {
    // A function module that `ascent run` imports sees the same classes (and registries) as the CLI.
    writeFileSync(
      join(project, "shared.mjs"),
      'import { CommandRunner } from "ascent";\n' +
        'import { createRunner } from "ascent/config";\n' +
        'const runner = await createRunner({ type: "command", options: { command: ["true"] } });\n' +
        'console.log(runner instanceof CommandRunner ? "shared" : "copied");\n',
    );
    const ran = run(process.execPath, ["shared.mjs"], project);
    expect(ran.status, ran.output).toBe(0);
    expect(ran.output.trim()).toBe("shared");
  });
});
