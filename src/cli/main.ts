/**
 * The `ascent` command. The composition root of the package: the only place that picks concrete stores
 * and runners by name. Each command lives in its own file under `commands/` and is listed in
 * `commands/index.ts`; this file builds the program and maps its outcome to an exit code.
 */
import { Command, CommanderError } from "commander";
import { type CliContext, USAGE_EXIT_CODE } from "./cli-context.js";
import { COMMANDS } from "./commands/index.js";
import { packageVersion } from "./commands/version.js";

/** Options of {@link main}: where output goes and which environment is read. */
export interface MainOptions {
  out?: (line: string) => void;
  err?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the command line `argv` (without node and script).
 * @returns the exit code: 0 on success, 2 for a command line that does not parse, or what the command set.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const context: CliContext = {
    out: options.out ?? ((line) => console.log(line)),
    err: options.err ?? ((line) => console.error(line)),
    exitCode: 0,
    env: options.env ?? process.env,
  };
  const program = buildProgram(context);
  if (argv.length === 0) {
    context.out(program.helpInformation().trimEnd());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version end through here too, with exit code 0.
    return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  }
  return context.exitCode;
}

/** The `ascent` program with every command, writing through `context` and never exiting the process. */
export function buildProgram(context: CliContext): Command {
  const program = new Command("ascent")
    .description("Adaptive experimentation for TypeScript and Node.js.")
    .version(packageVersion(), "-v, --version", "print the installed version")
    .addHelpText("after", '\nLibrary use: import { Client, Scheduler, ... } from "ascent" (see the README).')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.out(text.trimEnd()),
      writeErr: (text) => context.err(text.trimEnd()),
    });
  for (const register of COMMANDS) register(program, context);
  for (const command of program.commands) command.exitOverride().allowExcessArguments(false);
  return program;
}
