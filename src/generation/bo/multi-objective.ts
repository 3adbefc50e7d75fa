import { type MetricDataset, stackRows } from "../../adapter/metric-datasets.js";
import type {
  OutcomeTransformChain,
  OutcomeTransformOptions,
} from "../../adapter/outcome-transforms/index.js";
import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import { DataRequiredError } from "../../errors.js";
import type { AcquisitionFunction } from "../../numerics/acquisition/index.js";
import type { GpModel } from "../../numerics/gp/index.js";
import { inferReferencePoint, nonDominatedIndices } from "../../numerics/pareto/index.js";
import { Rng } from "../../util/rng.js";
import { AcquisitionBuilder, type AcquisitionKind, type FittedConstraint } from "./acquisition-builder.js";
import {
  type CandidateProposer,
  finiteOrNull,
  outcomeTransformsRan,
  type TransformsRan,
} from "./candidate-proposer.js";
import { buildModelDatasets } from "./metric-models.js";
import { augmentedChebyshev, normalizeObjectives, sampleSimplex } from "./scalarization.js";

/** A multi-objective problem as the BoTorch generator reads it from the optimization config. */
export interface MultiObjectiveProblem {
  objectives: readonly { metricName: string; minimize: boolean; threshold: number | null }[];
  /** Absolute outcome constraints: `value op bound`. */
  constraints: readonly { metricName: string; op: "LEQ" | "GEQ"; bound: number }[];
}

/** What {@link ParEgoProposer} needs from the generator. */
export interface ParEgoContext {
  experiment: Experiment;
  encoding: SearchSpaceEncoding;
  problem: MultiObjectiveProblem;
  /** Fits a GP to a dataset; the generator owns warm starts and the saved hyperparameters. */
  fit(dataset: MetricDataset, salt: number): GpModel;
  /** A seed of this gen call for a purpose (`salt`). */
  seedFor(salt: number): number;
  /** The outcome transforms between the data and the models (see `buildModelDatasets`). */
  transforms: OutcomeTransformOptions;
}

/** Name under which the scalarized GP's hyperparameters are kept (warm start of the next call). */
export const SCALARIZED_MODEL_NAME = "ParEGO (scalarized objectives)";
const MIN_OBSERVATIONS = 2;
const SALT = { weights: 303, qnei: 101, scalarizedFit: 1000, objectiveFit: 0 } as const;

/** The observations in which every objective was measured, on the maximization scale. */
interface JointObservations {
  /** N×d unit-cube points. */
  X: Float64Array;
  /** N×m objective values, maximization scale. */
  Y: Float64Array;
  n: number;
  keys: string[];
  noiseless: boolean;
}

/**
 * Multi-objective proposals by random scalarization, ParEGO (Knowles 2006) as BoTorch's qNParEGO does
 * it: for each arm a weight vector is drawn uniformly from the simplex, the observations are scalarized
 * by the augmented Chebyshev function of the objectives normalized between the reference point (0) and
 * the observed ideal (1), one GP is fitted to the scalarized values, and the single-objective machinery
 * takes over (LogEI with fantasies of the pending arms when noiseless, qLogNEI otherwise). Different
 * weights aim at different parts of the Pareto front, so the front fills in over the calls.
 *
 * Reference point: the objective thresholds of the config where given; the others inferred from the
 * observed Pareto front of the observations that satisfy the outcome constraints (nadir − 10% of the
 * front's range, Ax's heuristic).
 *
 * Feasibility: absolute outcome constraints weight the acquisition by their probability of feasibility;
 * so do the given objective thresholds, on each objective's own GP (an arm worse than a threshold adds
 * nothing to the front the user cares about). Inferred thresholds are not constraints: they lie below
 * the whole observed front by construction.
 *
 * Each arm's metadata holds the acquisition kind and value, the weights, and the predicted mean and sem
 * of every objective (original scale and sign).
 */
export class ParEgoProposer implements CandidateProposer {
  readonly observedX: Float64Array;
  readonly noiseless: boolean;
  private readonly ctx: ParEgoContext;
  private readonly joint: JointObservations;
  private readonly objectiveModels: GpModel[];
  private readonly feasibility: FittedConstraint[];
  private readonly referencePoint: Float64Array;
  /** The joint observations normalized (0 at the reference point, 1 at the ideal), N×m. */
  private readonly Z: Float64Array;
  private readonly rng: Rng;
  private readonly weights: Float64Array[] = [];
  private readonly kinds: AcquisitionKind[] = [];
  /** Observations the outlier guard clipped. */
  private readonly numClipped: number;
  /** Each metric's outcome transforms (bounds to the model's scale, predictions back). */
  private readonly chains: Map<string, OutcomeTransformChain>;
  private readonly transformsRan: TransformsRan;

  /**
   * Fits every objective and constraint GP and computes the reference point.
   * @throws DataRequiredError with fewer than 2 observations having every objective, or none of a
   * constraint metric.
   */
  constructor(ctx: ParEgoContext) {
    this.ctx = ctx;
    const { problem } = ctx;
    const names = [
      ...problem.objectives.map((o) => o.metricName),
      ...problem.constraints.map((c) => c.metricName),
    ];
    const signs = new Map(problem.objectives.map((o) => [o.metricName, o.minimize ? -1 : 1] as const));
    const modelData = buildModelDatasets(ctx.experiment, names, {
      signs,
      encoding: ctx.encoding,
      ...ctx.transforms,
    });
    this.chains = new Map([...modelData].map(([name, m]) => [name, m.transforms] as const));
    this.transformsRan = outcomeTransformsRan(modelData);
    const datasets = new Map([...modelData].map(([name, m]) => [name, m.dataset] as const));
    this.numClipped = [...modelData.values()].reduce((sum, m) => sum + m.numClipped, 0);
    const objectiveData = problem.objectives.map((o) => datasets.get(o.metricName)!);
    this.joint = joinObjectives(objectiveData);
    if (this.joint.n < MIN_OBSERVATIONS) {
      throw new DataRequiredError(
        `BoTorch needs at least ${MIN_OBSERVATIONS} observations with every objective ` +
          `(${problem.objectives.map((o) => o.metricName).join(", ")}) from COMPLETED or EARLY_STOPPED ` +
          `trials, found ${this.joint.n}; complete more trials (e.g. from a Sobol step), reporting every ` +
          "objective.",
        { stepIndex: -1 },
      );
    }
    this.observedX = this.joint.X;
    this.noiseless = this.joint.noiseless;
    this.objectiveModels = objectiveData.map((d, j) => ctx.fit(d, SALT.objectiveFit + j));
    this.feasibility = [...this.thresholdConstraints(objectiveData), ...this.fitConstraints(datasets)];
    this.referencePoint = this.computeReferencePoint(datasets);
    this.Z = normalizeObjectives(this.joint.Y, this.joint.n, this.referencePoint);
    this.rng = new Rng(ctx.seedFor(SALT.weights));
  }

  acquisition(index: number, pending: Float64Array): AcquisitionFunction {
    while (this.weights.length <= index)
      this.weights.push(sampleSimplex(this.objectiveModels.length, this.rng));
    const weights = this.weights[index]!;
    const { X, n, keys, noiseless } = this.joint;
    const d = this.ctx.encoding.dimension;
    const scalarized: MetricDataset = {
      metricName: SCALARIZED_MODEL_NAME,
      X,
      n,
      d,
      Y: augmentedChebyshev(this.Z, n, weights),
      // The min of the scalarization has no simple noise propagation: let the GP infer the noise.
      Yvar: noiseless ? new Float64Array(n) : null,
      sign: 1,
      noiseless,
      keys,
    };
    const builder = new AcquisitionBuilder({
      objective: scalarized,
      objectiveModel: this.ctx.fit(scalarized, SALT.scalarizedFit + index),
      constraints: this.feasibility,
      seed: this.ctx.seedFor(SALT.qnei),
    });
    this.kinds[index] = builder.kind;
    return builder.build(pending);
  }

  describe(index: number, x: Float64Array, acquisition: AcquisitionFunction): Record<string, JsonValue> {
    const weights: Record<string, number> = {};
    const predictedMean: Record<string, number> = {};
    const predictedSem: Record<string, number> = {};
    this.ctx.problem.objectives.forEach((o, j) => {
      const posterior = this.objectiveModels[j]!.predict(x, 1);
      const { mean, variance } = this.chain(o.metricName).untransformPrediction(
        posterior.mean[0]!,
        posterior.variance[0]!,
      );
      weights[o.metricName] = this.weights[index]![j]!;
      predictedMean[o.metricName] = (o.minimize ? -1 : 1) * mean;
      predictedSem[o.metricName] = Math.sqrt(Math.max(variance, 0));
    });
    return {
      acquisitionFunction: this.kinds[index] ?? null,
      acquisitionValue: finiteOrNull(acquisition.evaluate(x)),
      weights,
      predictedMean,
      predictedSem,
    };
  }

  runMetadata(): Record<string, JsonValue> {
    const referencePoint: Record<string, number> = {};
    const inferred: string[] = [];
    this.ctx.problem.objectives.forEach((o, j) => {
      // Back from the model's scale to the objective's own units.
      const ref = this.chain(o.metricName).untransformPrediction(this.referencePoint[j]!, 0).mean;
      referencePoint[o.metricName] = (o.minimize ? -1 : 1) * ref;
      if (o.threshold === null) inferred.push(o.metricName);
    });
    return {
      numObservations: this.joint.n,
      acquisitionFunction: this.kinds[0] ?? null,
      scalarization: "ParEGO augmented Chebyshev",
      referencePoint,
      inferredThresholds: inferred,
      ...(this.numClipped > 0 ? { numWinsorized: this.numClipped } : {}),
      outcomeTransforms: this.transformsRan,
    };
  }

  /** A metric's outcome transforms. */
  private chain(metricName: string): OutcomeTransformChain {
    return this.chains.get(metricName)!;
  }

  /** Given objective thresholds as feasibility constraints on the objectives' own GPs. */
  private thresholdConstraints(objectiveData: readonly MetricDataset[]): FittedConstraint[] {
    const out: FittedConstraint[] = [];
    this.ctx.problem.objectives.forEach((o, j) => {
      if (o.threshold === null) return;
      const dataset = objectiveData[j]!;
      // On the maximization scale every threshold is a lower bound.
      const bound = this.chain(o.metricName).transformBound(dataset.sign * o.threshold);
      out.push({ dataset, model: this.objectiveModels[j]!, op: "GEQ", bound });
    });
    return out;
  }

  private fitConstraints(datasets: ReadonlyMap<string, MetricDataset>): FittedConstraint[] {
    const m = this.ctx.problem.objectives.length;
    return this.ctx.problem.constraints.map((c, i) => {
      const dataset = datasets.get(c.metricName)!;
      if (dataset.n === 0) {
        throw new DataRequiredError(
          `BoTorch needs observations of constrained metric "${c.metricName}" from COMPLETED or ` +
            "EARLY_STOPPED trials, found none; report it along with the objectives.",
          { stepIndex: -1 },
        );
      }
      const bound = this.chain(c.metricName).transformBound(c.bound);
      return { dataset, model: this.ctx.fit(dataset, SALT.objectiveFit + m + i), op: c.op, bound };
    });
  }

  /** Thresholds where given (maximization scale), the rest inferred from the feasible observed front. */
  private computeReferencePoint(datasets: ReadonlyMap<string, MetricDataset>): Float64Array {
    const { problem } = this.ctx;
    const m = problem.objectives.length;
    const { Y, n, keys } = this.joint;
    const modelScaleConstraints = problem.constraints.map((c) => ({
      ...c,
      bound: this.chain(c.metricName).transformBound(c.bound),
    }));
    const feasible = feasibleRows(keys, modelScaleConstraints, datasets);
    // With no feasible observation yet, the whole observed front still gives the scale of the objectives.
    const rows = feasible.length > 0 ? feasible : Array.from({ length: n }, (_, i) => i);
    const candidates = stackRows(
      rows.map((i) => Y.subarray(i * m, (i + 1) * m)),
      m,
    );
    const front = nonDominatedIndices(candidates, rows.length, m);
    const frontY = stackRows(
      front.map((i) => candidates.subarray(i * m, (i + 1) * m)),
      m,
    );
    const known = problem.objectives.map((o) =>
      o.threshold === null
        ? null
        : this.chain(o.metricName).transformBound((o.minimize ? -1 : 1) * o.threshold),
    );
    return inferReferencePoint(frontY, front.length, m, { known });
  }
}

/** Rows (trial:arm keys) observed for every objective, in the order of the first objective's data. */
function joinObjectives(objectiveData: readonly MetricDataset[]): JointObservations {
  const m = objectiveData.length;
  const first = objectiveData[0]!;
  const d = first.d;
  const lookups = objectiveData.map((ds) => new Map(ds.keys.map((key, i) => [key, i] as const)));
  const xs: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const key of first.keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const rows = lookups.map((lookup) => lookup.get(key));
    if (rows.some((r) => r === undefined)) continue;
    const i0 = rows[0]!;
    xs.push(first.X.subarray(i0 * d, (i0 + 1) * d));
    ys.push(Float64Array.from(rows, (r, j) => objectiveData[j]!.Y[r!]!));
    keys.push(key);
  }
  return {
    X: stackRows(xs, d),
    Y: stackRows(ys, m),
    n: keys.length,
    keys,
    noiseless: objectiveData.every((ds) => ds.noiseless),
  };
}

/** Indices of the keys whose every outcome constraint was observed and satisfied. */
function feasibleRows(
  keys: readonly string[],
  constraints: MultiObjectiveProblem["constraints"],
  datasets: ReadonlyMap<string, MetricDataset>,
): number[] {
  const lookups = constraints.map((c) => {
    const ds = datasets.get(c.metricName)!;
    return { c, values: new Map(ds.keys.map((key, i) => [key, ds.Y[i]!] as const)) };
  });
  const out: number[] = [];
  keys.forEach((key, i) => {
    const ok = lookups.every(({ c, values }) => {
      const v = values.get(key);
      return v !== undefined && (c.op === "LEQ" ? v <= c.bound : v >= c.bound);
    });
    if (ok) out.push(i);
  });
  return out;
}
