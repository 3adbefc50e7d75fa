import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import type { Experiment } from "../../src/core/experiment.js";
import { registerBuiltInRunners } from "../../src/service/builtin-runners.js";
import { openStore } from "../../src/storage/db-settings.js";
import { startTsxChild, type TsxChild } from "../support/tsx-child.js";

/** The slow trial script of these tests. */
export const SLOW_TRIAL = resolve("test/cli/fixtures/slow-trial.mjs");

/**
 * Runs `ascent` in this process with plain progress; its exit code and output. `env` is also set in
 * `process.env` meanwhile, which the trial processes it starts inherit.
 */
export async function ascent(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await withEnv(env, () =>
    main(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...process.env, ASCENT_PROGRESS: "plain" },
    }),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Runs `fn` with `env` added to `process.env`, restored afterwards. */
export async function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => T | Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

/** Starts `ascent` in its own process (through tsx); `env` is added to this process's environment. */
export function ascentChild(argv: string[], env: NodeJS.ProcessEnv = {}): TsxChild {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return startTsxChild("src/cli/bin.ts", argv);
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

/**
 * Writes a config of `totalTrials` trials running the slow trial script, stored at `storage`, into `dir`.
 * @returns its path.
 */
export function writeSlowConfig(
  dir: string,
  options: { name: string; storage: string; totalTrials: number; parallelism?: number },
): string {
  const path = join(dir, "experiment.yaml");
  writeFileSync(
    path,
    [
      `name: ${options.name}`,
      "parameters:",
      "  - { name: x, type: range, bounds: [-3, 3] }",
      "objectives:",
      "  loss: { minimize: true }",
      "runner:",
      "  type: command",
      `  command: ["node", ${JSON.stringify(SLOW_TRIAL)}, "{x}"]`,
      `scheduler: { totalTrials: ${options.totalTrials}, maxParallelism: ${options.parallelism ?? 2}, initSecondsBetweenPolls: 0.1, minSecondsBeforePoll: 0 }`,
      `storage: ${JSON.stringify(options.storage)}`,
      "seed: 0",
      "",
    ].join("\n"),
  );
  return path;
}

/** Loads a stored experiment (null when there is none). */
export async function loadStored(url: string, name: string): Promise<Experiment | null> {
  registerBuiltInRunners();
  const store = await openStore(url);
  try {
    return await store.loadExperiment(name);
  } finally {
    await store.close();
  }
}

/** Resolves once `predicate` holds, checking every 50 ms; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
