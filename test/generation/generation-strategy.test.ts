import { describe, expect, it } from "vitest";
import type { Experiment } from "../../src/core/experiment.js";
import type { JsonValue } from "../../src/core/json.js";
import type { TrialStatus } from "../../src/core/trial-status.js";
import {
  DataRequiredError,
  GenerationStrategyCompletedError,
  GenerationStrategyError,
  MaxParallelismReachedError,
  SearchSpaceExhaustedError,
} from "../../src/errors.js";
import { GenerationStep } from "../../src/generation/generation-step.js";
import { GenerationStrategy } from "../../src/generation/generation-strategy.js";
import type { Generator } from "../../src/generation/generator.js";
import { Generators } from "../../src/generation/generators.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { addTrial, makeExperiment, mixedSpace, sixPointSpace } from "./helpers.js";

const sobol = (numTrials: number, extra: Partial<ConstructorParameters<typeof GenerationStep>[0]> = {}) =>
  new GenerationStep({ generator: Generators.SOBOL, numTrials, ...extra });
const uniform = (numTrials: number, extra: Partial<ConstructorParameters<typeof GenerationStep>[0]> = {}) =>
  new GenerationStep({ generator: Generators.UNIFORM, numTrials, ...extra });

/** Generates one trial and moves it to `status`. */
async function step(gs: GenerationStrategy, experiment: Experiment, status: TrialStatus = "RUNNING") {
  const run = await gs.gen({ experiment });
  return addTrial(experiment, run, status);
}

describe("GenerationStrategy construction", () => {
  it("names itself after its generators and prints like Ax", () => {
    const gs = new GenerationStrategy({ steps: [sobol(5), uniform(-1)] });
    expect(gs.name).toBe("Sobol+Uniform");
    expect(gs.seed).toBe(0);
    expect(gs.toString()).toBe(
      "GenerationStrategy(name='Sobol+Uniform', steps=[Sobol for 5 trials, Uniform for subsequent trials])",
    );
    expect(new GenerationStrategy({ steps: [sobol(-1)] }).toString()).toBe(
      "GenerationStrategy(name='Sobol', steps=[Sobol for all trials])",
    );
    expect(gs.currentStepIndex).toBe(0);
    expect(gs.currentGeneratorName).toBe("Sobol");
    expect(gs.currentStep).toBe(gs.steps[0]);
  });

  it("rejects empty strategies, unlimited steps before the last, and bad steps", () => {
    expect(() => new GenerationStrategy({ steps: [] })).toThrow(GenerationStrategyError);
    expect(() => new GenerationStrategy({ steps: [sobol(-1), uniform(3)] })).toThrow(/only the last step/);
    expect(() => sobol(0)).toThrow(/numTrials/);
    expect(() => sobol(2.5)).toThrow(GenerationStrategyError);
    expect(() => sobol(3, { minTrialsObserved: 4 })).toThrow(/minTrialsObserved/);
    expect(() => sobol(3, { maxParallelism: 0 })).toThrow(/maxParallelism/);
    expect(() => new GenerationStrategy({ steps: [sobol(1)], seed: 0.5 })).toThrow(/Seed/);
  });
});

describe("GenerationStrategy transitions", () => {
  it("moves from Sobol to Uniform after 3 trials and tags each run with its step", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(3), uniform(-1)] });
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const trial = await step(gs, experiment, "CANDIDATE");
      names.push(`${trial.generatorName}@${trial.generatorRuns[0]!.generationStepIndex}`);
    }
    expect(names).toEqual(["Sobol@0", "Sobol@0", "Sobol@0", "Uniform@1", "Uniform@1"]);
    expect(gs.currentStepIndex).toBe(1);
    expect(gs.currentGeneratorName).toBe("Uniform");
  });

  it("does not count FAILED or ABANDONED trials toward numTrials", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(2), uniform(-1)] });
    await step(gs, experiment, "FAILED");
    await step(gs, experiment, "ABANDONED");
    await step(gs, experiment, "COMPLETED");
    expect(gs.numTrialsAvailable(experiment)).toBe(Number.POSITIVE_INFINITY);
    expect((await gs.gen({ experiment })).generatorName).toBe("Sobol");
  });

  it("waits for minTrialsObserved with DataRequiredError when enforceNumTrials is true", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(2, { minTrialsObserved: 2 }), uniform(-1)] });
    const first = await step(gs, experiment);
    await step(gs, experiment);
    const err = await gs.gen({ experiment }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataRequiredError);
    expect((err as DataRequiredError).stepIndex).toBe(0);
    expect(gs.numTrialsAvailable(experiment)).toBe(0);
    first.markCompleted();
    await expect(gs.gen({ experiment })).rejects.toThrow(DataRequiredError);
    [...experiment.trials.values()][1]!.markEarlyStopped();
    expect((await gs.gen({ experiment })).generatorName).toBe("Uniform");
  });

  it("keeps generating from the step when enforceNumTrials is false", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({
      steps: [sobol(2, { minTrialsObserved: 1, enforceNumTrials: false }), uniform(-1)],
    });
    for (let i = 0; i < 4; i++) await step(gs, experiment);
    expect([...experiment.trials.values()].map((t) => t.generatorName)).toEqual([
      "Sobol",
      "Sobol",
      "Sobol",
      "Sobol",
    ]);
    expect(gs.numTrialsAvailable(experiment)).toBe(Number.POSITIVE_INFINITY);
    experiment.getTrial(0).markCompleted();
    expect((await gs.gen({ experiment })).generatorName).toBe("Uniform");
  });

  it("throws MaxParallelismReachedError with its fields once maxParallelism trials are in flight", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(-1, { maxParallelism: 2 })] });
    await step(gs, experiment, "CANDIDATE");
    const running = await step(gs, experiment, "RUNNING");
    const err = await gs.gen({ experiment }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaxParallelismReachedError);
    expect(err).toMatchObject({ stepIndex: 0, maxParallelism: 2, numRunning: 2 });
    running.markCompleted();
    expect(gs.numTrialsAvailable(experiment)).toBe(1);
    await step(gs, experiment);
  });

  it("throws GenerationStrategyCompletedError after the last finite step", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(1), uniform(2)] });
    for (let i = 0; i < 3; i++) await step(gs, experiment, "COMPLETED");
    expect(gs.isCompleted(experiment)).toBe(true);
    expect(gs.numTrialsAvailable(experiment)).toBe(0);
    await expect(gs.gen({ experiment })).rejects.toThrow(GenerationStrategyCompletedError);
    await expect(gs.genForTrials({ experiment, numTrials: 2 })).rejects.toThrow(
      GenerationStrategyCompletedError,
    );
  });
});

describe("GenerationStrategy.numTrialsAvailable", () => {
  it("adds up the steps it can reach now, limited by numTrials and maxParallelism", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({
      steps: [sobol(3), uniform(4, { maxParallelism: 2, minTrialsObserved: 1 }), sobol(-1)],
    });
    expect(gs.numTrialsAvailable(experiment)).toBe(5);
    for (let i = 0; i < 3; i++) await step(gs, experiment, "CANDIDATE");
    expect(gs.numTrialsAvailable(experiment)).toBe(2);
    const running = await step(gs, experiment, "RUNNING");
    expect(gs.numTrialsAvailable(experiment)).toBe(1);
    await step(gs, experiment, "COMPLETED");
    expect(gs.numTrialsAvailable(experiment)).toBe(1);
    // With nothing in flight the Uniform step can finish (2 left) and the unlimited step follows.
    running.markCompleted();
    expect(gs.numTrialsAvailable(experiment)).toBe(Number.POSITIVE_INFINITY);
    expect(new GenerationStrategy({ steps: [sobol(-1)] }).numTrialsAvailable(experiment)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("agrees with genForTrials, which stops early instead of failing", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(2), uniform(-1, { maxParallelism: 3 })] });
    expect(gs.numTrialsAvailable(experiment)).toBe(5);
    const runs = await gs.genForTrials({ experiment, numTrials: 10 });
    expect(runs.map((r) => `${r.generatorName}@${r.generationStepIndex}`)).toEqual([
      "Sobol@0",
      "Sobol@0",
      "Uniform@1",
      "Uniform@1",
      "Uniform@1",
    ]);
    for (const run of runs) addTrial(experiment, run);
    expect(gs.numTrialsAvailable(experiment)).toBe(0);
    await expect(gs.genForTrials({ experiment, numTrials: 1 })).rejects.toThrow(MaxParallelismReachedError);
  });

  it("genForTrials stops at a step's numTrials while data is required, and builds batches", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(3, { minTrialsObserved: 1 }), uniform(-1)] });
    const runs = await gs.genForTrials({ experiment, numTrials: 5, armsPerTrial: 2 });
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.arms.length === 2 && r.generationStepIndex === 0)).toBe(true);
    expect(await gs.genForTrials({ experiment, numTrials: 0 })).toEqual([]);
  });

  it("genForTrials avoids its own earlier arms in a finite space and returns what exists", async () => {
    const experiment = makeExperiment(sixPointSpace());
    const gs = new GenerationStrategy({ steps: [uniform(-1)] });
    const runs = await gs.genForTrials({ experiment, numTrials: 10 });
    expect(runs).toHaveLength(6);
    expect(new Set(runs.map((r) => r.arms[0]!.signature)).size).toBe(6);
    for (const run of runs) addTrial(experiment, run);
    await expect(gs.genForTrials({ experiment, numTrials: 1 })).rejects.toThrow(SearchSpaceExhaustedError);
  });
});

describe("GenerationStrategy state", () => {
  async function parametersOf(gs: GenerationStrategy, experiment: Experiment, count: number) {
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) out.push({ ...(await step(gs, experiment, "COMPLETED")).arm.parameters });
    return out;
  }

  it("resumes from toState/fromState exactly where the uninterrupted strategy would be", async () => {
    const steps = () => [sobol(3), uniform(-1)];
    const reference = await parametersOf(
      new GenerationStrategy({ steps: steps(), seed: 4 }),
      makeExperiment(),
      10,
    );
    const experiment = makeExperiment();
    const first = new GenerationStrategy({ steps: steps(), seed: 4 });
    const head = await parametersOf(first, experiment, 5);
    const state = JSON.parse(JSON.stringify(first.toState())) as JsonValue;
    const restored = GenerationStrategy.fromState(state);
    expect(restored.name).toBe("Sobol+Uniform");
    expect(restored.currentStepIndex).toBe(1);
    expect(restored.toState()).toEqual(state);
    const tail = await parametersOf(restored, experiment, 5);
    expect([...head, ...tail]).toEqual(reference);
  });

  it("records the steps' options and the generators' state", async () => {
    const gs = new GenerationStrategy({
      steps: [sobol(2, { generatorKwargs: { scramble: false }, maxParallelism: 4 }), uniform(-1)],
      name: "custom",
      seed: 9,
    });
    await gs.gen({ experiment: makeExperiment() });
    expect(gs.toState()).toMatchObject({
      name: "custom",
      seed: 9,
      currentStepIndex: 0,
      steps: [
        {
          generator: "Sobol",
          numTrials: 2,
          maxParallelism: 4,
          generatorKwargs: { scramble: false },
          generatorState: { engine: { numGenerated: 1, seed: 9, scramble: false } },
        },
        { generator: "Uniform", numTrials: -1, generatorState: null },
      ],
    });
  });

  it("refuses to restore a step whose generator is not registered, naming it", async () => {
    const custom: Generator = {
      name: "MyGrid",
      gen: (args) => new SobolGenerator({ searchSpace: mixedSpace(), seed: 0 }).gen(args),
    };
    const gs = new GenerationStrategy({ steps: [new GenerationStep({ generator: custom, numTrials: -1 })] });
    expect((await gs.gen({ experiment: makeExperiment() })).generatorName).toBe("Sobol");
    expect(() => GenerationStrategy.fromState(gs.toState())).toThrow(/MyGrid.*registerGenerator/s);
    expect(() => GenerationStrategy.fromState({ name: "x" })).toThrow(GenerationStrategyError);
  });
});

describe("GenerationStrategy and a changed search space", () => {
  it("rebuilds its generator for the new space and keeps its position in the stream", async () => {
    const experiment = makeExperiment();
    const gs = new GenerationStrategy({ steps: [sobol(-1)] });
    await step(gs, experiment);
    await step(gs, experiment);
    experiment.searchSpace = sixPointSpace();
    const run = await gs.gen({ experiment });
    expect(sixPointSpace().checkMembership(run.arms[0]!.parameters)).toBe(true);
    expect(run.candidateMetadata[0]).toMatchObject({ sobolIndex: 2 });
  });
});
