import { hostname } from "node:os";
import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import type { JsonValue } from "../../core/json.js";
import { ExperimentLockedError } from "../../errors.js";

/**
 * Key of the experiment property that asks the process running it to stop launching trials. Its value is
 * `{ at: <ISO time>, by: "<host>:<pid>" }`. `ascent stop` writes it; the running `ascent run`/`resume`
 * reads it between polls; `ascent resume` removes it before it starts, so an old request does not stop
 * the next run at once.
 */
export const STOP_REQUEST_PROPERTY = "ascentStopRequest";

/** A stop request as stored in the experiment's properties. */
export interface StopRequest {
  /** When it was made (ISO 8601). */
  readonly at: string;
  /** Who made it: `host:pid` of the `ascent stop` process. */
  readonly by: string;
  /** When the running process read it (ISO 8601), once it did. */
  readonly seenAt?: string;
}

/** The stop request an experiment holds, or null. */
export function stopRequestOf(experiment: Experiment): StopRequest | null {
  const value = experiment.properties[STOP_REQUEST_PROPERTY];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const at = value.at;
  const by = value.by;
  if (typeof at !== "string" || typeof by !== "string") return null;
  return typeof value.seenAt === "string" ? { at, by, seenAt: value.seenAt } : { at, by };
}

/**
 * Stores a stop request in the experiment's properties. Only the definition row is rewritten (trials and
 * data are untouched), in one transaction; the running Scheduler never rewrites the definition while it
 * runs, so the request stays until it is read.
 * @returns the request written.
 * @throws StorageError when the experiment cannot be saved.
 */
export async function writeStopRequest(
  store: ExperimentStore,
  experiment: Experiment,
  now: Date = new Date(),
): Promise<StopRequest> {
  const request: StopRequest = { at: now.toISOString(), by: `${hostname()}:${process.pid}` };
  experiment.properties[STOP_REQUEST_PROPERTY] = request as unknown as JsonValue;
  await store.saveExperiment(experiment);
  return request;
}

/**
 * Removes a stop request left in a stored experiment (by an earlier `ascent stop`), so that the run about
 * to start is not stopped by it.
 * @returns whether there was one.
 * @throws StorageError when the experiment cannot be saved.
 */
export async function clearStopRequest(store: ExperimentStore, experiment: Experiment): Promise<boolean> {
  if (!(STOP_REQUEST_PROPERTY in experiment.properties)) return false;
  delete experiment.properties[STOP_REQUEST_PROPERTY];
  await store.saveExperiment(experiment);
  return true;
}

/**
 * Whether a live Scheduler holds the experiment's lease, i.e. some process is running it now. Probes by
 * taking the lease for an instant: refused means it is held (unless by a process of this host that no
 * longer runs); taken means nobody runs it, and the probe's lease is given back at once.
 * @returns the holder (`host:pid:random`), or null when nobody runs the experiment.
 * @throws StorageError when the store cannot be reached.
 */
export async function leaseHolder(store: ExperimentStore, experimentName: string): Promise<string | null> {
  const probe = `${hostname()}:${process.pid}:stop-probe`;
  try {
    await store.acquireLease(experimentName, probe, 1, Date.now());
  } catch (error) {
    if (!(error instanceof ExperimentLockedError)) throw error;
    return isDeadLocalProcess(error.owner) ? null : error.owner;
  }
  await store.releaseLease(experimentName, probe);
  return null;
}

/** Whether `owner` (`host:pid:random`) names a process of this host that is not running. */
function isDeadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
