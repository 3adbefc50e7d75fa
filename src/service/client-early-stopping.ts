import type { BaseTrial } from "../core/base-trial.js";
import type { Progression } from "../core/curve-point.js";
import { Data, type DataRow } from "../core/data.js";
import { describeValue as describe, isPlainObject } from "../core/json.js";
import { TrialStatus } from "../core/trial-status.js";
import { ClientError, SchedulerError } from "../errors.js";
import { type EarlyStoppingStrategy, SchedulerOptions } from "../scheduler/scheduler-options.js";
import type { MutationContext } from "./client-session.js";
import type { TrialChangeDeps } from "./client-trial-changes.js";
import { normalizeRawData, type RawData } from "./raw-data.js";

/**
 * Checks an early-stopping strategy given to the Client exactly as `SchedulerOptions` checks it, so a
 * strategy accepted by one is accepted by the other.
 * @throws ClientError (with the SchedulerError as cause) for a value without `shouldStopTrialsEarly` or
 * with a bad `secondsBetweenPolls`.
 */
export function checkClientEarlyStopping(value: unknown): EarlyStoppingStrategy | null {
  if (value === undefined || value === null) return null;
  try {
    return new SchedulerOptions({ earlyStoppingStrategy: value as EarlyStoppingStrategy })
      .earlyStoppingStrategy;
  } catch (error) {
    if (!(error instanceof SchedulerError)) throw error;
    throw new ClientError(`Client option ${error.message}`, { cause: error });
  }
}

/**
 * Attaches intermediate values of a RUNNING one-arm trial at a progression (Ax's `attach_data` with a
 * progression): checked, attached, and saved as new data rows only (stores keep every row; the trial
 * itself is not rewritten).
 */
export async function attachProgressTo(
  ctx: MutationContext,
  deps: TrialChangeDeps,
  trial: BaseTrial,
  values: RawData,
  progression: unknown,
): Promise<void> {
  const { experiment, store } = ctx;
  const trialIndex = trial.index;
  if (trial.status !== TrialStatus.RUNNING) {
    throw new ClientError(
      `Cannot attach progress to trial ${trialIndex}: it is ${trial.status}, and progress is only ` +
        "reported for RUNNING trials (report a final result with completeTrial while it runs).",
      { trialIndex },
    );
  }
  const armName = oneArmName(trial, "attachProgress");
  const checked = checkProgression(progression, trialIndex);
  const config = experiment.requireOptimizationConfig();
  const rows = normalizeRawData(values, {
    trialIndex,
    armName,
    objectiveNames: config.objectives.map((o) => o.metric.name),
    metricNames: new Set(experiment.metrics.map((m) => m.name)),
    requireObjectives: false,
  });
  const progressRows: DataRow[] = rows.map((r) => ({ ...r, progression: checked }));
  const data = Data.fromRows(progressRows);
  experiment.attachData(data);
  await store.saveData(experiment, data);
  deps.logger.debug(
    `Attached progress of trial ${trialIndex} at ${JSON.stringify(checked)}: ` +
      rows.map((r) => `${r.metricName} ${r.mean}`).join(", "),
  );
}

/**
 * Marks a RUNNING trial EARLY_STOPPED with `reason` and saves it. Its data stays as attached: its latest
 * values stand as its result, as Ax uses an early-stopped trial's last observation.
 */
export async function stopTrialEarlyWith(
  ctx: MutationContext,
  deps: TrialChangeDeps,
  trial: BaseTrial,
  reason: string | null,
): Promise<void> {
  const trialIndex = trial.index;
  if (trial.status !== TrialStatus.RUNNING) {
    throw new ClientError(
      `Cannot stop trial ${trialIndex} early: it is ${trial.status}; only RUNNING trials can be stopped.`,
      { trialIndex },
    );
  }
  trial.markEarlyStopped(reason);
  await ctx.store.saveTrials(ctx.experiment, [trial]);
  deps.logger.info(`Stopped trial ${trialIndex} early${reason ? `: ${reason}` : ""}.`);
}

/** The reason given to `stopTrialEarly`, when it is one. @throws ClientError otherwise. */
export function checkReason(reason: unknown, trialIndex: number): string | undefined {
  if (reason === undefined || typeof reason === "string") return reason;
  throw new ClientError(`The reason must be a string, got ${describe(reason)}.`, { trialIndex });
}

/**
 * A copy of a progression after checking it is a plain object of at least one non-empty key, each with a
 * finite number.
 * @throws ClientError naming the trial and the offending key.
 */
export function checkProgression(progression: unknown, trialIndex: number): Progression {
  const hint = "Write it as an object of numbers, e.g. { step: 20 } or { epoch: 3 }.";
  if (!isPlainObject(progression) || Object.keys(progression).length === 0) {
    throw new ClientError(
      `Trial ${trialIndex}: the progression must name at least one key, got ${describe(progression)}. ${hint}`,
      { trialIndex },
    );
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(progression)) {
    if (key === "" || typeof value !== "number" || !Number.isFinite(value)) {
      throw new ClientError(
        `Trial ${trialIndex}: progression key ${JSON.stringify(key)} has ${describe(value)}; keys must be ` +
          `non-empty and values finite numbers. ${hint}`,
        { trialIndex },
      );
    }
    out[key] = value;
  }
  return Object.freeze(out);
}

function oneArmName(trial: BaseTrial, method: string): string {
  const arm = trial.arms.length === 1 ? trial.arms[0] : undefined;
  if (!arm?.name) {
    throw new ClientError(
      `Trial ${trial.index} has ${trial.arms.length} arms; ${method} reports one-arm trials only.`,
      { trialIndex: trial.index },
    );
  }
  return arm.name;
}
