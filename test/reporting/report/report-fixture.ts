import {
  Arm,
  ChoiceParameter,
  Data,
  Experiment,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  SearchSpace,
} from "../../../src/core/index.js";
import { chooseGenerationStrategy } from "../../../src/generation/choose-generation-strategy.js";
import type { GenerationStrategyState } from "../../../src/generation/generation-strategy.js";
import { SobolEngine } from "../../../src/numerics/sobol/index.js";
import { hartmann6 } from "../../../src/numerics/test-functions.js";
import type { Chart } from "../../../src/reporting/charts/chart.js";
import { FakeClock } from "../../../src/util/clock.js";
import { Logger } from "../../../src/util/logger.js";
import { Rng } from "../../../src/util/rng.js";

/** Names of the experiment's parts; the hostile-names test gives names that try to break out of HTML. */
export interface ReportNames {
  experiment: string;
  /** Six range parameters (x0..x5 by default). */
  parameters: readonly string[];
  /** A choice parameter's name and its values. */
  choice: string;
  choiceValues: readonly string[];
  metric: string;
  failureReason: string;
}

export const PLAIN_NAMES: ReportNames = {
  experiment: "hartmann6_report",
  parameters: ["x0", "x1", "x2", "x3", "x4", "x5"],
  choice: "kernel",
  choiceValues: ["matern", "rbf"],
  metric: "hartmann6",
  failureReason: "The job ran out of memory (exit code 137)",
};

/** Options of {@link reportExperiment}. */
export interface ReportExperimentOptions {
  numTrials: number;
  names?: ReportNames;
  /** Every n-th trial fails (and every (n+1)-th is abandoned); default 40. */
  failEvery?: number;
  /** Trials left RUNNING at the end; default 0. */
  running?: number;
  seed?: number;
  /** The sem every observation is reported with; default 0 (noise-free), null for unknown noise. */
  sem?: number | null;
  /** Standard deviation of seeded Gaussian noise added to every observed mean; default 0. */
  noiseSd?: number;
}

/**
 * A single-objective experiment (minimize Hartmann6 over six range parameters, plus a choice that
 * shifts the value a little), trials at Sobol points, each run for a seeded random duration in fake
 * time; some fail or are abandoned with a reason. Deterministic for a seed.
 */
export function reportExperiment(options: ReportExperimentOptions): {
  experiment: Experiment;
  strategy: GenerationStrategyState;
} {
  const names = options.names ?? PLAIN_NAMES;
  const failEvery = options.failEvery ?? 40;
  const clock = new FakeClock();
  const rng = new Rng(options.seed ?? 1);
  // A stream of its own, so that noise leaves the durations of the noise-free fixture unchanged.
  const noise = new Rng((options.seed ?? 1) + 1_000);
  const metric = new ReportedMetric({ name: names.metric });
  const searchSpace = new SearchSpace({
    parameters: [
      ...names.parameters.map(
        (name) => new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ),
      new ChoiceParameter({ name: names.choice, values: [...names.choiceValues], isOrdered: false }),
    ],
  });
  const experiment = new Experiment({
    name: names.experiment,
    clock,
    searchSpace,
    optimizationConfig: new OptimizationConfig({ objective: new Objective({ metric, minimize: true }) }),
  });
  const strategy = chooseGenerationStrategy({
    searchSpace,
    optimizationConfig: experiment.optimizationConfig,
    logger: new Logger({ name: "fixture", sink: () => undefined }),
  });
  const sobol = new SobolEngine({ dimension: names.parameters.length + 1, seed: options.seed ?? 1 });
  const X = sobol.draw(options.numTrials);
  const d = names.parameters.length + 1;
  for (let i = 0; i < options.numTrials; i++) {
    const x = X.subarray(i * d, (i + 1) * d);
    const parameters: Record<string, number | string> = {};
    names.parameters.forEach((name, k) => {
      parameters[name] = x[k]!;
    });
    const choice = names.choiceValues[x[d - 1]! < 0.5 ? 0 : 1]!;
    parameters[names.choice] = choice;
    const run = new GeneratorRun({
      arms: [new Arm({ parameters })],
      generatorName: "Sobol",
      generationStepIndex: 0,
    });
    const trial = experiment.newTrial({ generatorRun: run }).markRunning();
    clock.advance(200 + Math.round(rng.next() * 3000));
    if (i >= options.numTrials - (options.running ?? 0)) continue;
    if (i % failEvery === failEvery - 1) {
      trial.updateRunMetadata({ job: `job-${i}`, host: names.failureReason.slice(0, 40) });
      trial.markFailed(names.failureReason);
      continue;
    }
    if (i % failEvery === failEvery - 2) {
      trial.markAbandoned("Stopped by hand: parameters out of the safe range");
      continue;
    }
    const mean =
      hartmann6(x.subarray(0, 6)) +
      (choice === names.choiceValues[0] ? 0 : 0.05) +
      (options.noiseSd ?? 0) * noise.normal();
    experiment.attachData(
      Data.fromRows([
        {
          trialIndex: trial.index,
          armName: trial.arm.name!,
          metricName: names.metric,
          mean,
          sem: options.sem === undefined ? 0 : options.sem,
        },
      ]),
    );
    trial.markCompleted();
  }
  return { experiment, strategy: strategy.toState() };
}

/**
 * A chart like the optimization trace: one point per observation and the best so far as a line; the
 * metric's name is the field and the axis title (so a hostile name reaches the chart too).
 */
export function traceLikeChart(experiment: Experiment, metricName: string): Chart {
  const values: { trial: number; value: number; best: number }[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const trial of experiment.trials.values()) {
    const row = experiment.lookupTrialData(trial.index).rows.find((r) => r.metricName === metricName);
    if (!row) continue;
    best = Math.min(best, row.mean);
    values.push({ trial: trial.index, value: row.mean, best });
  }
  return {
    kind: "test-trace",
    title: `Trace of ${metricName}`,
    caption: `Each point is one observation of ${metricName}; the line is the best so far.`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: 480,
      height: 240,
      data: { values },
      layer: [
        {
          mark: { type: "point", filled: true },
          encoding: {
            x: { field: "trial", type: "quantitative" },
            y: { field: "value", type: "quantitative", title: metricName },
          },
        },
        {
          mark: "line",
          encoding: {
            x: { field: "trial", type: "quantitative" },
            y: { field: "best", type: "quantitative" },
          },
        },
      ],
    },
  };
}
