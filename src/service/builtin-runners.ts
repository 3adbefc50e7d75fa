import type { JsonObject } from "../core/json.js";
import type { Runner } from "../core/runner.js";
import { CommandRunner, type CommandRunnerOptions } from "../runners/command/index.js";
import { FunctionRunner, type FunctionRunnerOptions } from "../runners/function/index.js";
import { QueueRunner, type QueueRunnerOptions } from "../runners/queue/index.js";
import { isRunnerRegistered, registerRunner } from "../storage/codec/index.js";

/** A built-in runner class with the fields it is stored as and rebuilt from. */
interface BuiltInRunner<R extends Runner> {
  readonly cls: new (fields: never) => R;
  readonly name: string;
  readonly encode: (runner: R) => JsonObject;
  readonly decode: (fields: JsonObject) => R;
}

const BUILT_IN: readonly BuiltInRunner<Runner>[] = [
  {
    cls: FunctionRunner,
    name: "FunctionRunner",
    encode: (r) => (r as FunctionRunner).storedFields(),
    decode: (f) => new FunctionRunner(f as FunctionRunnerOptions),
  },
  {
    cls: CommandRunner,
    name: "CommandRunner",
    encode: (r) => (r as CommandRunner).storedFields(),
    decode: (f) => new CommandRunner(f as unknown as CommandRunnerOptions),
  },
  {
    cls: QueueRunner,
    name: "QueueRunner",
    encode: (r) => (r as QueueRunner).storedFields(),
    decode: (f) => new QueueRunner(f as unknown as QueueRunnerOptions),
  },
];

/**
 * Registers the built-in runners (`FunctionRunner`, `CommandRunner`, `QueueRunner`) for storage, so an
 * experiment that uses one can be saved and loaded without a `registerRunner` call of the user's. The
 * package entry calls it once; calling it again does nothing. Each is stored as its `storedFields()`
 * (never secrets, never a function) and rebuilt from them.
 */
export function registerBuiltInRunners(): void {
  for (const { cls, name, encode, decode } of BUILT_IN) {
    if (isRunnerRegistered(name)) continue;
    registerRunner(cls, { name, encode, decode });
  }
}
