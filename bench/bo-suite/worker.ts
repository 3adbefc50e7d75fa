/**
 * The seeds of a run, in this process (`--jobs 1`) or spread over N child processes
 * (`child_process.fork` of this module; each child runs one seed at a time and sends its figures back),
 * so that both cores of the machine work. Results come back in task order whatever the finishing order.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SuiteConfig } from "./configs.js";
import { problemsByKey } from "./problems/index.js";
import { runSuiteSeed, type SuiteSeedResult } from "./run-seed.js";

/** One seed of one problem under one configuration. */
export interface SeedTask {
  problem: string;
  config: SuiteConfig;
  seed: number;
}

type Reply = { ok: true; result: SuiteSeedResult } | { ok: false; error: string };

function runTask(task: SeedTask): Promise<SuiteSeedResult> {
  const [problem] = problemsByKey([task.problem]);
  return runSuiteSeed(problem!, task.config, task.seed);
}

/**
 * Runs every task and returns the results in the order of `tasks`; `onResult` sees each as it arrives.
 * @throws Error when a run fails (in a child: its message), after the other children were stopped.
 */
export async function runTasks(
  tasks: readonly SeedTask[],
  jobs: number,
  onResult: (task: SeedTask, result: SuiteSeedResult) => void = () => {},
): Promise<SuiteSeedResult[]> {
  const results: SuiteSeedResult[] = new Array(tasks.length);
  if (jobs <= 1) {
    for (const [i, task] of tasks.entries()) {
      results[i] = await runTask(task);
      onResult(task, results[i]!);
    }
    return results;
  }
  const children: ChildProcess[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
        const child = fork(fileURLToPath(import.meta.url), ["--bo-suite-worker"], {
          execArgv: process.execArgv,
        });
        children.push(child);
        while (next < tasks.length) {
          const i = next++;
          results[i] = await ask(child, tasks[i]!);
          onResult(tasks[i]!, results[i]!);
        }
        child.disconnect();
      }),
    );
  } finally {
    for (const child of children) if (child.connected) child.kill();
  }
  return results;
}

/** Sends a task to a child and waits for its reply (or its death). */
function ask(child: ChildProcess, task: SeedTask): Promise<SuiteSeedResult> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(
        new Error(`bo-suite worker exited with code ${code} while running ${task.problem} seed ${task.seed}`),
      );
    child.once("exit", onExit);
    child.once("message", (reply: Reply) => {
      child.off("exit", onExit);
      if (reply.ok) resolve(reply.result);
      else reject(new Error(`${task.problem} / ${task.config.name} seed ${task.seed}: ${reply.error}`));
    });
    child.send(task);
  });
}

// A forked child: run each task it is sent, one at a time, until the parent disconnects.
if (process.argv.includes("--bo-suite-worker") && process.send) {
  process.on("message", (task: SeedTask) => {
    runTask(task).then(
      (result) => process.send!({ ok: true, result } satisfies Reply),
      (error: unknown) =>
        process.send!({
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies Reply),
    );
  });
}
