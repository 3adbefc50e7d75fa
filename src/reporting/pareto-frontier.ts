import type { Experiment } from "../core/experiment.js";
import { satisfiesOutcomeConstraints } from "../core/observed-arms.js";
import type { OptimizationConfig } from "../core/optimization-config.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import type { Parameterization } from "../core/parameter-type.js";
import { relativeBoundsOf } from "../core/relative-bounds.js";
import { TrialStatus } from "../core/trial-status.js";
import { OptimizationConfigError } from "../errors.js";
import { hypervolume, inferReferencePoint, nonDominatedIndices } from "../numerics/pareto/index.js";

/** One Pareto-optimal observation of {@link paretoFrontier}. */
export interface ParetoFrontierPoint {
  /** Index of the trial in which the arm was observed. */
  trialIndex: number;
  /** Name of the arm, e.g. `"3_0"`. */
  armName: string;
  /** The arm's parameter values. */
  parameters: Parameterization;
  /** Latest observed mean of each objective, by metric name. */
  values: Record<string, number>;
  /** Standard error of each of those means; null when unknown. */
  sems: Record<string, number | null>;
}

/** The observed Pareto frontier of a multi-objective experiment and its hypervolume. */
export interface ParetoFrontier {
  /** The objectives, in the config's order. */
  objectives: { metricName: string; minimize: boolean }[];
  /** Pareto-optimal observations, best first in the first objective (ties: earliest trial first). */
  points: ParetoFrontierPoint[];
  /**
   * The reference point of the hypervolume by metric name (original units): `options.referencePoint`,
   * else the objective thresholds, else inferred from the front. Null when some coordinate had to be
   * inferred and there is no feasible observation yet.
   */
  referencePoint: Record<string, number> | null;
  /** Objectives whose reference coordinate was inferred (it moves as the front grows). */
  inferredObjectives: string[];
  /** Hypervolume of the points with respect to the reference point (0 without a reference point). */
  hypervolume: number;
}

/** Options of {@link paretoFrontier}. */
export interface ParetoFrontierOptions {
  /**
   * Reference point by objective metric name (original units), overriding the thresholds and the
   * inference for the objectives it names. Fix it to compare hypervolumes over time: an inferred
   * reference point moves as the front grows.
   */
  referencePoint?: Readonly<Record<string, number>>;
}

/** Latest mean and sem of each metric of one arm of one trial. */
interface Observation {
  trialIndex: number;
  armName: string;
  parameters: Parameterization;
  means: Record<string, number>;
  sems: Record<string, number | null>;
}

/**
 * The observed Pareto frontier of a multi-objective experiment (the multi-objective counterpart of
 * `bestPoint`): among the arms of COMPLETED trials, with raw observed means (not model predictions),
 * those that
 * - have an observation of every objective,
 * - satisfy every absolute outcome constraint (a constraint metric without observation counts as
 *   violated) and every absolute objective threshold,
 * - and are not dominated by another such arm.
 * Relative constraints and thresholds (percent of the status quo) are made absolute with the status
 * quo's observed values (`relativeBoundsOf`, as in `bestPoint`) and then count as above; they are left
 * out while the experiment has no status quo or no observation of it.
 *
 * The hypervolume, computed exactly, is the volume of outcome space the frontier dominates up to the
 * reference point: a single number that grows as the optimization finds better trade-offs.
 *
 * @throws OptimizationConfigError when the experiment has no optimization config or a single objective
 * (use `bestPoint`), or `options.referencePoint` names a metric that is not an objective or holds a
 * value that is not finite.
 * @example
 * const { points, hypervolume } = paretoFrontier(experiment);
 * for (const p of points) console.log(p.trialIndex, p.values);
 */
export function paretoFrontier(experiment: Experiment, options: ParetoFrontierOptions = {}): ParetoFrontier {
  const config = experiment.requireOptimizationConfig();
  if (!config.isMultiObjective) {
    throw new OptimizationConfigError(
      `Experiment "${experiment.name}" has a single objective (${config.objective.toString()}), so it has a ` +
        "best point rather than a Pareto frontier; use bestPoint (Client.getBestParameters) instead.",
    );
  }
  const objectives = config.objectives.map((o) => ({ metricName: o.metric.name, minimize: o.minimize }));
  // Relative bounds are judged against the status quo's observed values, once it has some.
  const boundOf = relativeBoundsOf(experiment);
  const given = givenReferencePoint(config, options.referencePoint, boundOf);
  const scale = new MaximizationScale(objectives);
  const feasible = observations(experiment).filter(
    (obs) =>
      objectives.every((o) => obs.means[o.metricName] !== undefined) &&
      satisfiesOutcomeConstraints(config, obs.means, boundOf),
  );
  const inferredObjectives = objectives
    .filter((o) => given.get(o.metricName) === undefined)
    .map((o) => o.metricName);
  // Inferred coordinates need a feasible front; thresholds (or the option) alone do not.
  let reference: Float64Array | null = null;
  if (inferredObjectives.length === 0 || feasible.length > 0) {
    const front = scale.frontOf(feasible);
    const known = objectives.map((o, k) => {
      const v = given.get(o.metricName);
      return v === undefined ? null : scale.sign[k]! * v;
    });
    reference = inferReferencePoint(scale.matrix(front), front.length, objectives.length, { known });
  }
  const points = scale.frontOf(
    feasible.filter((obs) =>
      config.objectiveThresholds.every((t) => {
        const bound = boundOf(t);
        const v = obs.means[t.metric.name]!;
        return bound === null || t.isSatisfiedBy(v, bound);
      }),
    ),
  );
  const first = objectives[0]!;
  points.sort(
    (a, b) =>
      (first.minimize ? 1 : -1) * (a.means[first.metricName]! - b.means[first.metricName]!) ||
      a.trialIndex - b.trialIndex,
  );
  return {
    objectives,
    points: points.map((obs) => toPoint(obs, objectives)),
    referencePoint:
      reference &&
      Object.fromEntries(objectives.map((o, k) => [o.metricName, scale.sign[k]! * reference[k]!])),
    inferredObjectives,
    hypervolume:
      reference === null ? 0 : hypervolume(scale.matrix(points), points.length, objectives.length, reference),
  };
}

/** Observations as rows of objective values on the maximization scale, which the numerics expect. */
class MaximizationScale {
  readonly sign: number[];

  constructor(private readonly objectives: readonly { metricName: string; minimize: boolean }[]) {
    this.sign = objectives.map((o) => (o.minimize ? -1 : 1));
  }

  /** n×m, row-major. */
  matrix(set: readonly Observation[]): Float64Array {
    return Float64Array.from(
      set.flatMap((obs) => this.objectives.map((o, k) => this.sign[k]! * obs.means[o.metricName]!)),
    );
  }

  /** The non-dominated observations of the set, in its order. */
  frontOf(set: readonly Observation[]): Observation[] {
    return nonDominatedIndices(this.matrix(set), set.length, this.objectives.length).map((i) => set[i]!);
  }
}

/** Reference coordinates known before looking at data: the option, else the absolute thresholds. */
function givenReferencePoint(
  config: OptimizationConfig,
  option: Readonly<Record<string, number>> | undefined,
  boundOf: (threshold: OutcomeConstraint) => number | null,
): Map<string, number> {
  const out = new Map<string, number>();
  // A relative threshold counts once the status quo's value makes it absolute.
  for (const t of config.objectiveThresholds) {
    const bound = boundOf(t);
    if (bound !== null) out.set(t.metric.name, bound);
  }
  const names = new Set(config.objectives.map((o) => o.metric.name));
  for (const [name, value] of Object.entries(option ?? {})) {
    if (!names.has(name)) {
      throw new OptimizationConfigError(
        `paretoFrontier: referencePoint names "${name}", which is not an objective (objectives: ${[...names].join(", ")}).`,
        { metricName: name },
      );
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new OptimizationConfigError(
        `paretoFrontier: referencePoint.${name} must be a finite number, got ${String(value)}.`,
        { metricName: name },
      );
    }
    out.set(name, value);
  }
  return out;
}

/** Every arm of every COMPLETED trial that has data, in trial then arm order, with its latest values. */
function observations(experiment: Experiment): Observation[] {
  const out: Observation[] = [];
  const completed = [...experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)].sort((a, b) => a - b);
  for (const trialIndex of completed) {
    const byArm = new Map<string, { means: Record<string, number>; sems: Record<string, number | null> }>();
    // Later rows win: re-reported data replaces earlier data, as in bestPoint.
    for (const row of experiment.lookupTrialData(trialIndex).rows) {
      let entry = byArm.get(row.armName);
      if (!entry) {
        entry = { means: {}, sems: {} };
        byArm.set(row.armName, entry);
      }
      entry.means[row.metricName] = row.mean;
      entry.sems[row.metricName] = row.sem;
    }
    for (const arm of experiment.getTrial(trialIndex).arms) {
      const entry = byArm.get(arm.name);
      if (entry) out.push({ trialIndex, armName: arm.name, parameters: arm.parameters, ...entry });
    }
  }
  return out;
}

function toPoint(obs: Observation, objectives: readonly { metricName: string }[]): ParetoFrontierPoint {
  const values: Record<string, number> = {};
  const sems: Record<string, number | null> = {};
  for (const { metricName } of objectives) {
    values[metricName] = obs.means[metricName]!;
    sems[metricName] = obs.sems[metricName] ?? null;
  }
  return { trialIndex: obs.trialIndex, armName: obs.armName, parameters: obs.parameters, values, sems };
}
