import { Arm } from "../core/arm.js";
import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import { GeneratorRun } from "../core/generator-run.js";
import { describeValue as describe } from "../core/json.js";
import { TrialStatus } from "../core/trial-status.js";
import { ClientError } from "../errors.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { MutationContext } from "./client-session.js";
import type { ClientStore } from "./client-store.js";
import type { TrialHandle } from "./client-types.js";
import { normalizeRawData, type RawData } from "./raw-data.js";

/**
 * The Client's changes of trials, each run inside `ClientSession.mutate` (so a failed save undoes it):
 * check, change memory, save.
 * @internal
 */
export interface TrialChangeDeps {
  stores: ClientStore;
  logger: Logger;
  clock: Clock;
}

/** Generates one arm, adds it as a RUNNING trial, and saves the trial with the strategy's state. */
export async function generateTrial(ctx: MutationContext, deps: TrialChangeDeps): Promise<TrialHandle> {
  const { experiment, generationStrategy, store } = ctx;
  const run = await generationStrategy.gen({ experiment, n: 1 });
  const trial = experiment.newTrial({ generatorRun: run }).markRunning();
  const state = generationStrategy.toState();
  await store.withTransaction(async () => {
    await store.saveTrials(experiment, [trial]);
    await store.saveGenerationState(experiment.name, state);
  });
  deps.stores.noteState(state);
  const parameters = trial.arm.parameters;
  deps.logger.info(
    `Generated new trial ${trial.index} with parameters ${JSON.stringify(parameters)} using ${run.generatorName}.`,
  );
  return { trialIndex: trial.index, parameters };
}

/** Checks a RUNNING one-arm trial's results, attaches them, marks it COMPLETED and saves both. */
export async function completeTrialWith(
  ctx: MutationContext,
  deps: TrialChangeDeps,
  trial: BaseTrial,
  rawData: RawData,
): Promise<void> {
  const { experiment, store } = ctx;
  const trialIndex = trial.index;
  if (trial.status !== TrialStatus.RUNNING) {
    throw new ClientError(
      trial.status === TrialStatus.COMPLETED
        ? `Trial ${trialIndex} is already COMPLETED; its results cannot be reported again.`
        : `Trial ${trialIndex} is ${trial.status}; only RUNNING trials can be completed.`,
      { trialIndex },
    );
  }
  const arm = trial.arms.length === 1 ? trial.arms[0] : undefined;
  if (!arm?.name) {
    throw new ClientError(
      `Trial ${trialIndex} has ${trial.arms.length} arms; completeTrial reports one-arm trials only.`,
      { trialIndex },
    );
  }
  const config = experiment.requireOptimizationConfig();
  const rows = normalizeRawData(rawData, {
    trialIndex,
    armName: arm.name,
    objectiveNames: config.objectives.map((o) => o.metric.name),
    metricNames: new Set(experiment.metrics.map((m) => m.name)),
  });
  const data = Data.fromRows(rows);
  experiment.attachData(data);
  trial.markCompleted();
  await store.withTransaction(async () => {
    await store.saveData(experiment, data);
    await store.saveTrials(experiment, [trial]);
  });
  deps.logger.info(`Completed trial ${trialIndex} with data: ${formatRows(rows)}.`);
}

/** Marks a trial that has not ended FAILED or ABANDONED and saves it. */
export async function endTrialAs(
  ctx: MutationContext,
  deps: TrialChangeDeps,
  trial: BaseTrial,
  status: typeof TrialStatus.FAILED | typeof TrialStatus.ABANDONED,
  reason: string | undefined,
): Promise<void> {
  const trialIndex = trial.index;
  const verb = status === TrialStatus.FAILED ? "fail" : "abandon";
  if (trial.isTerminal) {
    throw new ClientError(`Cannot ${verb} trial ${trialIndex}: it already ended as ${trial.status}.`, {
      trialIndex,
    });
  }
  if (reason !== undefined && typeof reason !== "string") {
    throw new ClientError(`The reason must be a string, got ${describe(reason)}.`, { trialIndex });
  }
  trial.markAs(status, reason ?? null);
  await ctx.store.saveTrials(ctx.experiment, [trial]);
  deps.logger.info(`Marked trial ${trialIndex} as ${status}${reason ? `: ${reason}` : ""}.`);
}

/** Adds a RUNNING "Manual" trial at the user's parameters (cast to the parameters' types) and saves it. */
export async function attachTrialAt(
  ctx: MutationContext,
  deps: TrialChangeDeps,
  parameters: Readonly<Record<string, unknown>>,
): Promise<TrialHandle> {
  const { experiment, store } = ctx;
  if (parameters === null || typeof parameters !== "object") {
    throw new ClientError(`attachTrial needs an object of parameter values, got ${describe(parameters)}.`);
  }
  const cast = experiment.searchSpace.castParameterization(parameters);
  const run = new GeneratorRun({
    arms: [new Arm({ parameters: cast })],
    generatorName: "Manual",
    timeCreated: deps.clock.now(),
  });
  const trial = experiment.newTrial({ generatorRun: run }).markRunning();
  await store.saveTrials(experiment, [trial]);
  deps.logger.info(`Attached custom parameterization ${JSON.stringify(cast)} as trial ${trial.index}.`);
  return { trialIndex: trial.index, parameters: trial.arm.parameters };
}

function formatRows(rows: readonly { metricName: string; mean: number; sem: number | null }[]): string {
  return rows.map((r) => `${r.metricName}: (${r.mean}, ${r.sem ?? "unknown sem"})`).join(", ");
}
