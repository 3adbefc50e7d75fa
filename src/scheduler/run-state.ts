import { SchedulerArgumentError, SchedulerError } from "../errors.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import type { IdleCallback } from "./scheduler-options.js";

/** Arguments of a Scheduler run. */
export interface RunArgs {
  /** Most trials to deploy in this run (new ones and earlier CANDIDATE trials). */
  maxTrials: number;
  /** Stop launching trials after this many hours; default `options.timeoutHours`. */
  timeoutHours?: number | null;
  /** Aborting stops launching trials and returns promptly, leaving running trials RUNNING. */
  signal?: AbortSignalLike;
  /** Called at every poll round while this run waits (Ax's `idle_callback`); default `options.idleCallback`. */
  idleCallback?: IdleCallback | null;
  /** Skip `options.globalStoppingStrategy` for this run only (Ax's `ignore_global_stopping_strategy`). Default false. */
  ignoreGlobalStoppingStrategy?: boolean;
}

export const RUN_ARG_KEYS: ReadonlySet<string> = new Set([
  "maxTrials",
  "timeoutHours",
  "signal",
  "idleCallback",
  "ignoreGlobalStoppingStrategy",
]);

/**
 * Refuses keys of run arguments that are not in `allowed` (e.g. Ax's snake_case `timeout_hours`), which
 * would otherwise be silently dropped.
 * @throws SchedulerArgumentError naming the key, and the camelCase name when that is the mistake.
 */
export function checkRunArgKeys(
  method: string,
  args: object,
  allowed: ReadonlySet<string> = RUN_ARG_KEYS,
): void {
  if (args === null || typeof args !== "object") {
    throw new SchedulerArgumentError(`${method} takes one object of arguments, got ${String(args)}.`, {
      argument: "args",
    });
  }
  for (const key of Object.keys(args)) {
    if (allowed.has(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const hint = allowed.has(camel) ? ` Did you mean "${camel}"?` : "";
    throw new SchedulerArgumentError(
      `Unknown argument "${key}" of ${method}; it accepts ${[...allowed].join(", ")}.${hint}`,
      { argument: key },
    );
  }
}

/**
 * The state of one run: its limits, what it deployed, and why it stopped launching trials.
 * @internal
 */
export class RunState {
  readonly startMs: number;
  readonly maxTrials: number;
  readonly timeoutHours: number | null;
  /** Trials created by this run. */
  readonly added: number[] = [];
  /** Trials this run deployed (or tried to deploy). */
  readonly deployed = new Set<number>();
  timedOut = false;
  aborted = false;
  generationExhausted = false;
  failureRateExceeded = false;
  completionCriterionMet = false;
  /** Why the global stopping strategy ended the run, or null when it did not. */
  globalStoppingReason: string | null = null;
  /** Whether this run skips the global stopping strategy. */
  readonly ignoreGlobalStoppingStrategy: boolean;
  /** The last unexpected generation error, until the loop decides about it. */
  generationError: unknown = null;
  /** The run's idle callback (its own, or the options'), or null. */
  readonly idleCallback: IdleCallback | null;
  /** Whether the next "nothing can be generated now" reason is logged (once per wait, as in Ax). */
  logNoTrialsReason = true;
  private readonly controller = new AbortController();
  private readonly external: AbortSignalLike | undefined;
  private readonly onExternalAbort = (): void => this.controller.abort();

  constructor(
    args: RunArgs,
    defaults: { timeoutHours: number | null; idleCallback: IdleCallback | null },
    nowMs: number,
  ) {
    checkRunArgKeys("runNTrials", args);
    if (!Number.isInteger(args?.maxTrials) || args.maxTrials < 0) {
      throw new SchedulerError(`maxTrials must be an integer >= 0, got ${String(args?.maxTrials)}.`);
    }
    const timeout = args.timeoutHours === undefined ? defaults.timeoutHours : args.timeoutHours;
    if (timeout !== null && (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0)) {
      throw new SchedulerError(`timeoutHours must be a number >= 0 or null, got ${String(timeout)}.`);
    }
    if (args.idleCallback != null && typeof args.idleCallback !== "function") {
      throw new SchedulerArgumentError(
        `idleCallback must be a function (scheduler) => void, got ${typeof args.idleCallback}.`,
        { argument: "idleCallback" },
      );
    }
    if (
      args.ignoreGlobalStoppingStrategy !== undefined &&
      typeof args.ignoreGlobalStoppingStrategy !== "boolean"
    ) {
      throw new SchedulerArgumentError(
        `ignoreGlobalStoppingStrategy must be true or false, got ${String(args.ignoreGlobalStoppingStrategy)}.`,
        { argument: "ignoreGlobalStoppingStrategy" },
      );
    }
    this.ignoreGlobalStoppingStrategy = args.ignoreGlobalStoppingStrategy ?? false;
    this.idleCallback = args.idleCallback ?? defaults.idleCallback;
    this.maxTrials = args.maxTrials;
    this.timeoutHours = timeout;
    this.startMs = nowMs;
    this.external = args.signal;
    if (this.external?.aborted) this.controller.abort();
    else this.external?.addEventListener("abort", this.onExternalAbort, { once: true });
  }

  /** Aborted by the caller's signal or by `Scheduler.stop()`. */
  get signal(): AbortSignalLike {
    return this.controller.signal;
  }

  /** Trials this run may still deploy. */
  get remaining(): number {
    return this.maxTrials - this.deployed.size;
  }

  /** Aborts the run (`Scheduler.stop()`). */
  abort(): void {
    this.controller.abort();
  }

  /** Whether the run's timeout has passed at `nowMs`. */
  isTimeoutReached(nowMs: number): boolean {
    return this.timeoutHours !== null && nowMs - this.startMs >= this.timeoutHours * 3_600_000;
  }

  /** Detaches from the caller's signal. */
  dispose(): void {
    this.external?.removeEventListener("abort", this.onExternalAbort);
  }
}
