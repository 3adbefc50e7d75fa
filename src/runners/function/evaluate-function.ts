import type { Parameterization } from "../../core/parameter-type.js";
import type { ProgressReport } from "../../core/progress-record.js";
import type { TrialResultValue } from "../../core/trial-result.js";
import type { PlatformAbortSignal } from "../../util/abort-signal.js";

/** What an evaluate function is told besides the parameters. */
export interface EvaluationContext {
  /** Index of the trial being evaluated. */
  readonly trialIndex: number;
  /** Name of the experiment the trial belongs to. */
  readonly experimentName: string;
  /**
   * Fires when the trial is stopped (`stopTrialRuns`, an early-stopping strategy, its TTL passing) or
   * the run that started it is abandoned (`optimize()` timing out or being aborted,
   * `FunctionRunner.abortAll`). Pass it on (`fetch(url, { signal })`, `setTimeout(ms, v, { signal })`)
   * or check `signal.aborted` between steps; `signal.reason` is an Error named "AbortError" whose message
   * says why. A standard `AbortSignal`, so that it can be handed to any API that takes one.
   */
  readonly signal: PlatformAbortSignal;
  /**
   * Reports intermediate values (a learning curve): `report({ step: 20, values: { loss: 0.31 } })`, or
   * `report({ progression: { epoch: 3 }, values })` for a progression named otherwise. The Scheduler
   * stores them at its next poll, and an early-stopping strategy judges the trial from them. Resolves to
   * whether the trial has been asked to stop (its signal fired): return then, with a result or nothing
   * (the last reported values are then its result). Rejects with a ProgressReportError for a malformed
   * report.
   * @example for (let step = 1; step <= 50; step++) { const loss = train(); if (await report({ step, values: { loss } })) return; }
   */
  readonly report: (report: ProgressReport) => Promise<boolean>;
}

/**
 * One metric's value as an evaluate function may return it: a number (noise unknown), `[mean, sem]`, or
 * `{ mean, sem }`. Arrays are accepted as plain `number[]` so that a function declared apart from the
 * runner type-checks; a value that is not exactly `[mean, sem]` is refused when it is read.
 */
export type EvaluationValue = TrialResultValue | readonly (number | null)[];

/**
 * What an evaluate function returns: the single objective's value as a number, or values by metric name
 * (`{ loss: 0.3, accuracy: [0.91, 0.01], latencyMs: { mean: 12, sem: null } }`). Names that are not an
 * objective or constraint are kept as tracking metrics; keys whose value is undefined are left out (so
 * that a function returning differently shaped objects on different paths type-checks).
 */
export type EvaluationResult = number | Readonly<Record<string, EvaluationValue | undefined>>;

/**
 * A function that evaluates one trial in this process: synchronous or async. A throw or rejection marks
 * the trial FAILED with the error's message.
 * @example
 * const evaluate: EvaluateFunction = async ({ lr, layers }, { signal }) => {
 *   const loss = await train({ lr: Number(lr), layers: Number(layers), signal });
 *   return { loss, layers: Number(layers) };
 * };
 */
export type EvaluateFunction = (
  parameters: Parameterization,
  context: EvaluationContext,
) => EvaluationResult | PromiseLike<EvaluationResult>;
