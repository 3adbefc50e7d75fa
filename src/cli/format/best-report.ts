import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { GenerationStrategyError } from "../../errors.js";
import { GenerationStrategy } from "../../generation/index.js";
import type { MetricPrediction } from "../../reporting/model-best-point.js";
import { paretoFrontier } from "../../reporting/pareto-frontier.js";
import { recommendedBestPoint } from "../../reporting/recommended-best-point.js";
import { formatNumber } from "./text-table.js";

/** An arm `ascent best` reports. */
export interface ReportedArm {
  trialIndex: number;
  armName: string;
  parameters: Parameterization;
  /** Latest observed means, by metric name. */
  values: Record<string, number>;
  /** The model's predictions at the arm (single objective, whenever a model judged the arms). */
  predictions?: Record<string, MetricPrediction>;
}

/** What `ascent best` prints, and with `--json` prints as JSON. */
export type BestReport =
  | {
      experiment: string;
      kind: "single";
      /** The rule that chose the arm: "model" (the model's pick) or "observed" (the best observation). */
      source: "model" | "observed";
      /** Why that rule chose the arm, one short sentence; null with no arm. */
      reason: string | null;
      objective: { metric: string; minimize: boolean };
      /** Null until a COMPLETED trial has a feasible observation. */
      best: ReportedArm | null;
    }
  | {
      experiment: string;
      kind: "pareto";
      source: "observed";
      objectives: { metric: string; minimize: boolean }[];
      /** The observed Pareto frontier, best first in the first objective. */
      points: ReportedArm[];
      hypervolume: number;
      referencePoint: Record<string, number> | null;
    };

/**
 * The best point of a stored experiment, as the Client's `getBestParameters` picks it by default
 * (`recommendedBestPoint` with the stored strategy: the model's pick or the best observation, and
 * why); for several objectives, the observed Pareto frontier (`paretoFrontier`).
 * @throws OptimizationConfigError when the experiment has no optimization config.
 * @example findBest(experiment, await store.loadGenerationState(experiment.name))
 */
export function findBest(experiment: Experiment, generationState: JsonValue | null): BestReport {
  const config = experiment.requireOptimizationConfig();
  const objectives = config.objectives.map((o) => ({ metric: o.metric.name, minimize: o.minimize }));
  if (config.isMultiObjective) {
    const frontier = paretoFrontier(experiment);
    return {
      experiment: experiment.name,
      kind: "pareto",
      source: "observed",
      objectives,
      points: frontier.points.map(({ trialIndex, armName, parameters, values }) => ({
        trialIndex,
        armName,
        parameters,
        values,
      })),
      hypervolume: frontier.hypervolume,
      referencePoint: frontier.referencePoint,
    };
  }
  const single = { experiment: experiment.name, kind: "single", objective: objectives[0]! } as const;
  const best = recommendedBestPoint(experiment, restoreStrategy(generationState));
  if (best === null) return { ...single, source: "observed", reason: null, best: null };
  const { rule, reason, ...arm } = best;
  return { ...single, source: rule, reason, best: arm };
}

/** The stored strategy, or null when there is none or it uses a generator this process does not know. */
function restoreStrategy(state: JsonValue | null): GenerationStrategy | null {
  if (state === null) return null;
  try {
    return GenerationStrategy.fromState(state);
  } catch (error) {
    if (error instanceof GenerationStrategyError) return null;
    throw error;
  }
}

/**
 * The report as text: for one objective, where the answer comes from, the parameters, then each
 * metric's observed mean (and predicted mean ± standard error under a model); for several, one block
 * per Pareto-optimal arm and the hypervolume.
 */
export function bestReportLines(report: BestReport): string[] {
  if (report.kind === "pareto") {
    const goal = report.objectives.map((o) => `${o.minimize ? "minimize" : "maximize"} ${o.metric}`);
    if (report.points.length === 0) {
      return [`"${report.experiment}" (${goal.join(", ")}): no feasible completed trial yet.`];
    }
    const lines = [
      `"${report.experiment}": ${report.points.length} Pareto-optimal arm(s) (${goal.join(", ")}), ` +
        `observed; hypervolume ${formatNumber(report.hypervolume)}`,
    ];
    for (const point of report.points) lines.push("", ...armLines(point));
    return lines;
  }
  const { objective, best } = report;
  const goal = `${objective.minimize ? "minimize" : "maximize"} ${objective.metric}`;
  if (best === null) return [`"${report.experiment}" (${goal}): no feasible completed trial yet.`];
  const how = report.source === "model" ? "by the model's prediction" : "by observed value";
  const lines = [`Best of "${report.experiment}" (${goal}), ${how}:`, ...armLines(best)];
  if (report.reason) lines.push(`  rule: ${report.source} (${report.reason})`);
  return lines;
}

function armLines(arm: ReportedArm): string[] {
  const lines = [`trial ${arm.trialIndex} (arm ${arm.armName})`, "  parameters:"];
  const pad = (names: string[]) => Math.max(...names.map((n) => n.length));
  const parameterNames = Object.keys(arm.parameters);
  const pw = pad(parameterNames);
  for (const name of parameterNames) lines.push(`    ${name.padEnd(pw)}  ${String(arm.parameters[name])}`);
  lines.push("  values:");
  const metricNames = Object.keys(arm.values);
  const mw = pad(metricNames);
  for (const name of metricNames) {
    const predicted = arm.predictions?.[name];
    const extra = predicted
      ? `  (predicted ${formatNumber(predicted.mean)} ± ${formatNumber(predicted.sem)})`
      : "";
    lines.push(`    ${name.padEnd(mw)}  ${formatNumber(arm.values[name]!)}${extra}`);
  }
  return lines;
}
