import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Arm,
  ChoiceParameter,
  Experiment,
  FixedParameter,
  GeneratorRun,
  type Parameterization,
  type ParameterValue,
  SearchSpace,
  type Trial,
} from "../../../src/index.js";

/** The test trial program (see fixtures/trial-program.mjs), run with this Node. */
export const PROGRAM = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "trial-program.mjs");
export const NODE = process.execPath;

/** Whether `pid` is a live process (Linux: zombies, which the init process may never reap here, are dead). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Waits until `condition` holds (checked every 20 ms), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Hostile parameter values: each must reach the program as exactly one argv element, unchanged. */
export const HOSTILE_VALUES: readonly string[] = [
  "$(touch pwned)",
  "`touch pwned`",
  "`id`",
  "; rm -rf x",
  "; touch pwned",
  "a' \"b",
  "--flag=1",
  "-rf",
  "-",
  "--",
  "line one\nline two\r\n",
  "x".repeat(10_000),
  "ünïcødé ✓ 日本語 🚀",
  "  spaces  around  ",
  "",
  "{lr}",
  "*",
  "~",
  "| cat /etc/passwd",
  "& touch pwned &",
  "> pwned",
  // Shell and cmd.exe expansions, which no shell is there to perform.
  ["%PATH% $", "{HOME} $HOME"].join(""),
  "\\\\server\\share",
  "\t\v\f",
];

/**
 * An experiment named `name` whose search space admits every parameterization given (each parameter a
 * choice among the values seen, or fixed when there is one), with one CANDIDATE trial per parameterization.
 */
export function trialsFor(name: string, parameterizations: readonly Parameterization[]): Trial[] {
  const values = new Map<string, ParameterValue[]>();
  for (const p of parameterizations)
    for (const [k, v] of Object.entries(p)) {
      const seen = values.get(k) ?? [];
      if (!seen.includes(v)) seen.push(v);
      values.set(k, seen);
    }
  const parameters = [...values].map(([k, vs]) =>
    vs.length === 1
      ? new FixedParameter({ name: k, value: vs[0]! })
      : new ChoiceParameter({ name: k, values: vs, isOrdered: false, sortValues: false }),
  );
  const experiment = new Experiment({ name, searchSpace: new SearchSpace({ parameters }) });
  return parameterizations.map((p) =>
    experiment.newTrial({
      generatorRun: new GeneratorRun({ arms: [new Arm({ parameters: p })], generatorName: "Manual" }),
    }),
  );
}
