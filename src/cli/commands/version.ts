import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

/**
 * The installed package's version, from the nearest `package.json` named `ascent` above this module.
 * Searched rather than a fixed relative path: the same code runs from `src/` (tsx) and from the bundled
 * `dist/` chunks, which sit at different depths.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "ascent" && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

/** `ascent version`: prints the installed version (as `ascent --version` does). */
export function registerVersionCommand(program: Command, context: CliContext): void {
  program
    .command("version")
    .description("print the installed version")
    .action(() => context.out(packageVersion()));
}
