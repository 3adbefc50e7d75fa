import { type ChildProcess, spawn } from "node:child_process";

/** A TypeScript script running in its own Node process (through tsx), its output collected as it comes. */
export interface TsxChild {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** Starts `node --import tsx script ...args`; with `stdin`, the child's stdin is a pipe (else ignored). */
export function startTsxChild(
  script: string,
  args: readonly string[],
  options: { stdin?: boolean } = {},
): TsxChild {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Runs a script to its end: its exit code and output. */
export async function runTsxChild(
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const started = startTsxChild(script, args);
  const code = await started.exited;
  return { code, out: started.out(), err: started.err() };
}
