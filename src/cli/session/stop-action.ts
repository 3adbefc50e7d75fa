import type { ExperimentStore } from "../../core/experiment-store.js";
import { type CliContext, SUCCESS_EXIT_CODE } from "../cli-context.js";
import { loadStoredExperiment, withStore } from "../storage-option.js";
import type { RunFlags } from "./command-support.js";
import { leaseHolder, stopRequestOf, writeStopRequest } from "./stop-request.js";

/** Flags of `ascent stop`. */
export interface StopFlags extends RunFlags {
  /** Seconds to wait for the running process to confirm it saw the request (default 10). */
  wait?: number;
}

const CONFIRM_POLL_MS = 250;

/**
 * `ascent stop <name>`: asks the process running the experiment (anywhere that shares the store) to
 * launch no more trials; its running trials finish, then it ends as a completed run would. The request
 * is stored in the experiment's properties; this waits up to `--wait` seconds for the running process
 * to confirm that it read it.
 * @returns 0 when the request is stored (or nothing runs the experiment), 2 for an unknown experiment,
 * 3 when the store cannot be opened or written.
 */
export function stopExperiment(name: string, flags: StopFlags, context: CliContext): Promise<number> {
  return withStore(context, "stop", flags, {}, async ({ store, description }) => {
    const experiment = await loadStoredExperiment({ store, description }, name);
    const holder = await leaseHolder(store, name);
    if (holder === null) {
      context.out(`Experiment "${name}" is not running: nothing to stop.`);
      return SUCCESS_EXIT_CODE;
    }
    await writeStopRequest(store, experiment);
    const seen = await waitForConfirmation(store, name, (flags.wait ?? 10) * 1000);
    context.out(
      seen
        ? `Stop requested: the process running "${name}" (${holder}) launches no more trials; its running trials finish.`
        : `Stop request stored for "${name}"; the process running it (${holder}) has not confirmed it yet ` +
            "(it reads the store between polls, at least every second while it waits for trials).",
    );
    return SUCCESS_EXIT_CODE;
  });
}

/**
 * Waits until the stored request is marked seen, or the run ended (its lease is free). When the request
 * disappeared while the run goes on (its definition was saved over it), it is written again.
 * @returns whether the running process confirmed it (or ended).
 */
async function waitForConfirmation(
  store: ExperimentStore,
  name: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, CONFIRM_POLL_MS));
    const experiment = await store.loadExperiment(name);
    if (!experiment) return true;
    const request = stopRequestOf(experiment);
    if (request?.seenAt !== undefined) return true;
    if ((await leaseHolder(store, name)) === null) return true;
    if (request === null) await writeStopRequest(store, experiment);
  }
  return false;
}
