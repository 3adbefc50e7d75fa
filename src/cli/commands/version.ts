import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

/** The installed package's version, from its package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** `ascent version`: prints the installed version (as `ascent --version` does). */
export function registerVersionCommand(program: Command, context: CliContext): void {
  program
    .command("version")
    .description("print the installed version")
    .action(() => context.out(packageVersion()));
}
