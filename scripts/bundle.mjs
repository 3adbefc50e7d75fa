// Bundles the package's entry points into dist/ with shared chunks, after `tsc` wrote the declarations.
//
// Why: loading ~350 small ES modules (ours and Kysely's) costs a CLI command like `ascent list` more than
// its work; one bundle with shared chunks starts in about half the time. The library entry, the config
// entry and the CLI share the same chunks, so a user's module loaded by `ascent run --module` and the CLI
// see one copy of every class and registry. Dependencies stay external (installed next to the package).
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = process.argv[2] ?? join(root, "dist");

// Pure-JS dependencies made of many small modules are bundled in (Kysely alone is ~150 ms of module
// loading); native addons, optional peers and what only some commands load stay external.
const BUNDLED = new Set(["kysely", "commander"]);
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const external = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

rmSync(join(outdir, "chunks"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts", "src/cli/bin.ts", "src/cli/config/index.ts"],
  outbase: "src",
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: process.argv.includes("--no-sourcemap") ? false : "linked",
  // Bundled CommonJS (commander) calls require() for Node's built-ins; ES modules have none of their own.
  banner: {
    js: 'import { createRequire as __ascentCreateRequire } from "node:module";\nconst require = __ascentCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
