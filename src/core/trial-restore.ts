import { ExperimentError } from "../errors.js";
import { Arm } from "./arm.js";
import type { BaseTrial, TrialOwner, TrialSnapshot, TrialState } from "./base-trial.js";
import { BatchTrial } from "./batch-trial.js";
import { GeneratorRun } from "./generator-run.js";
import type { JsonValue } from "./json.js";
import type { ParameterValue } from "./parameter-type.js";
import { Trial } from "./trial.js";
import { TrialStatus } from "./trial-status.js";

/** What restoring a trial needs of its experiment. @internal */
export interface RestoreHost {
  owner: TrialOwner;
  experimentName: string;
  trials: ReadonlyMap<number, BaseTrial>;
  /** Throws when the runs' arm names clash with the experiment's. */
  checkArmNames(index: number, runs: readonly GeneratorRun[]): void;
  /** Adds a new trial to the experiment's indexes. */
  register(trial: BaseTrial): void;
}

/**
 * Rebuilds or refreshes a trial of the host from its snapshot, without transition checks (see
 * `Experiment.restoreTrial`).
 * @internal
 */
export function restoreTrialFromSnapshot(host: RestoreHost, snapshot: TrialSnapshot): BaseTrial {
  const index = snapshot.index;
  if (!Number.isInteger(index) || index < 0) {
    throw new ExperimentError(`Cannot restore a trial with index ${index}: indices are integers >= 0.`);
  }
  if (index > host.trials.size) {
    throw new ExperimentError(
      `Cannot restore trial ${index} of experiment "${host.experimentName}": it has ${host.trials.size} trials, so ` +
        `trials ${host.trials.size}..${index - 1} are missing. Restore trials in index order.`,
      { trialIndex: index },
    );
  }
  const existing = host.trials.get(index);
  const runs = generatorRunsOf(snapshot);
  if (existing) {
    if (existing.trialType !== snapshot.trialType) {
      throw new ExperimentError(
        `Cannot refresh trial ${index} of experiment "${host.experimentName}": it is a ${existing.trialType}, the snapshot a ${snapshot.trialType}.`,
        { trialIndex: index },
      );
    }
    if (existing.status === TrialStatus.CANDIDATE && runs.length > existing.generatorRuns.length) {
      const added = runs.slice(existing.generatorRuns.length);
      if (existing instanceof BatchTrial) {
        host.checkArmNames(index, added);
        for (const run of added) existing.addGeneratorRun(run);
      } else if (existing instanceof Trial) {
        for (const run of added) existing.addGeneratorRun(run);
      }
    }
    existing.restoreState(stateOf(snapshot));
    return existing;
  }
  let trial: BaseTrial;
  if (snapshot.trialType === "BatchTrial") {
    host.checkArmNames(index, runs);
    const batch = new BatchTrial(host.owner, index, snapshot.ttlSeconds);
    for (const run of runs) batch.addGeneratorRun(run);
    trial = batch;
  } else {
    if (runs.length > 1) {
      throw new ExperimentError(`Trial ${index} has ${runs.length} generator runs; a Trial holds one.`, {
        trialIndex: index,
      });
    }
    trial = new Trial(host.owner, index, snapshot.ttlSeconds, runs[0]);
  }
  // Restored before registering, so `register` counts the trial under its final status once.
  trial.restoreState(stateOf(snapshot));
  host.register(trial);
  return trial;
}

/** The mutable state a snapshot restores on a trial. */
function stateOf(snapshot: TrialSnapshot): TrialState {
  return {
    status: snapshot.status,
    times: {
      timeCreated: snapshot.timeCreated,
      timeStaged: snapshot.timeStaged,
      timeRunStarted: snapshot.timeRunStarted,
      timeCompleted: snapshot.timeCompleted,
    },
    runMetadata: snapshot.runMetadata,
    failureReason: snapshot.failureReason,
    ttlSeconds: snapshot.ttlSeconds,
    properties: snapshot.properties,
  };
}

/** The snapshot's generator runs, with fresh arms named as stored. */
function generatorRunsOf(snapshot: TrialSnapshot): GeneratorRun[] {
  const params = new Map<string, Readonly<Record<string, JsonValue>>>();
  for (const arm of snapshot.arms) if (!params.has(arm.name)) params.set(arm.name, arm.parameters);
  return snapshot.generatorRuns.map(
    (run) =>
      new GeneratorRun({
        arms: run.armNames.map((name) => {
          const p = params.get(name);
          if (!p) {
            throw new ExperimentError(
              `Trial ${snapshot.index}: generator run "${run.generatorName}" names arm "${name}", which is not among the trial's arms.`,
              { trialIndex: snapshot.index },
            );
          }
          return new Arm({ parameters: parameterValues(snapshot.index, name, p), name });
        }),
        weights: run.weights,
        generatorName: run.generatorName,
        generationStepIndex: run.generationStepIndex,
        candidateMetadata: run.candidateMetadata,
        metadata: run.metadata,
        timeCreated: run.timeCreated,
      }),
  );
}

function parameterValues(
  trialIndex: number,
  armName: string,
  parameters: Readonly<Record<string, JsonValue>>,
): Record<string, ParameterValue> {
  for (const [key, value] of Object.entries(parameters)) {
    const t = typeof value;
    if (t !== "string" && t !== "number" && t !== "boolean") {
      throw new ExperimentError(
        `Trial ${trialIndex}, arm "${armName}": parameter "${key}" = ${JSON.stringify(value)} is not a string, number or boolean.`,
        { trialIndex },
      );
    }
  }
  return parameters as Record<string, ParameterValue>;
}
