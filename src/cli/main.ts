/**
 * The `ascent` command. The composition root of the package: the only place that picks concrete stores
 * and runners by name.
 */
import { readFileSync } from "node:fs";

const HELP = `ascent: adaptive experimentation for TypeScript and Node.js

Usage:
  ascent version       print the installed version
  ascent help          show this help

Library use: import { Client, Scheduler, ... } from "ascent" (see the README).`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the command line `argv` (without node and script); returns the exit code. */
export function main(argv: readonly string[], out: (line: string) => void = console.log): number {
  const [command = "help", ...rest] = argv;
  if (rest.length > 0 && command !== "help") {
    out(`ascent ${command}: unexpected arguments ${rest.join(" ")}\n\n${HELP}`);
    return 2;
  }
  switch (command) {
    case "version":
    case "--version":
    case "-v":
      out(packageVersion());
      return 0;
    case "help":
    case "--help":
    case "-h":
      out(HELP);
      return 0;
    default:
      out(`ascent: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
