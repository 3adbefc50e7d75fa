import { describe, expect, it } from "vitest";
import { Arm } from "../../src/core/arm.js";
import { GeneratorRun } from "../../src/core/generator-run.js";
import type { JsonValue } from "../../src/core/json.js";
import { GenerationStrategyError } from "../../src/errors.js";
import { GenerationStep } from "../../src/generation/generation-step.js";
import { GenerationStrategy } from "../../src/generation/generation-strategy.js";
import type { Generator, GeneratorCreateOptions, GeneratorSpec } from "../../src/generation/generator.js";
import {
  Generators,
  getGeneratorSpec,
  registeredGeneratorNames,
  registerGenerator,
  unregisterGenerator,
} from "../../src/generation/generators.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { addTrial, makeExperiment } from "./helpers.js";

/** A user-written generator walking x1 up from 0 by `step`; its position survives restarts. */
class CounterGenerator implements Generator {
  readonly name = "Counter";
  private position: number;
  private readonly step: number;
  constructor(options: GeneratorCreateOptions) {
    this.position = typeof options.state === "number" ? options.state : 0;
    this.step = typeof options.options?.step === "number" ? options.options.step : 0.1;
  }
  async gen(args: { n: number }): Promise<GeneratorRun> {
    const arms: Arm[] = [];
    for (let i = 0; i < args.n; i++) {
      arms.push(new Arm({ parameters: { x1: this.position, x2: 1, k: 1, opt: "a", f: 1 } }));
      this.position += this.step;
    }
    return new GeneratorRun({ arms, generatorName: this.name });
  }
  getState(): JsonValue {
    return this.position;
  }
}

const counterSpec: GeneratorSpec = { name: "Counter", create: (o) => new CounterGenerator(o) };

describe("Generators registry", () => {
  it("knows the built-in generators by name", () => {
    expect(Generators.SOBOL.name).toBe("Sobol");
    expect(Generators.UNIFORM.name).toBe("Uniform");
    expect(getGeneratorSpec("Sobol")).toBe(Generators.SOBOL);
    expect(registeredGeneratorNames()).toEqual(expect.arrayContaining(["Sobol", "Uniform"]));
  });

  it("explains how to register an unknown generator", () => {
    expect(() => getGeneratorSpec("Nope")).toThrow(GenerationStrategyError);
    expect(() => getGeneratorSpec("Nope")).toThrow(/"Nope".*registerGenerator/s);
  });

  it("registers user generators, refusing clashes, and restores strategies that use them", async () => {
    expect(() => registerGenerator({ name: "Sobol", create: counterSpec.create })).toThrow(/built-in/);
    registerGenerator(counterSpec);
    registerGenerator(counterSpec);
    expect(() => registerGenerator({ name: "Counter", create: counterSpec.create })).toThrow(
      /unregisterGenerator/,
    );
    try {
      const gs = new GenerationStrategy({
        steps: [
          new GenerationStep({ generator: counterSpec, numTrials: -1, generatorKwargs: { step: 0.25 } }),
        ],
      });
      const experiment = makeExperiment();
      addTrial(experiment, await gs.gen({ experiment }));
      addTrial(experiment, await gs.gen({ experiment }));
      const restored = GenerationStrategy.fromState(gs.toState());
      const run = await restored.gen({ experiment });
      expect(run.arms[0]!.parameters.x1).toBe(0.5);
      expect(run.generationStepIndex).toBe(0);
    } finally {
      expect(unregisterGenerator("Counter")).toBe(true);
    }
    expect(unregisterGenerator("Sobol")).toBe(false);
    expect(() => getGeneratorSpec("Counter")).toThrow(GenerationStrategyError);
  });
});

describe("GenerationStep checks the options of a built-in generator when it is built", () => {
  it("refuses a bad BoTorch, Sobol or Uniform option before any trial is generated", () => {
    const bad: { generator: GeneratorSpec; generatorKwargs: Record<string, JsonValue> }[] = [
      { generator: Generators.BOTORCH, generatorKwargs: { coldFitRestarts: -1 } },
      { generator: Generators.BOTORCH, generatorKwargs: { numRawSample: 512 } },
      { generator: Generators.SOBOL, generatorKwargs: { scramble: "yes" } },
      { generator: Generators.UNIFORM, generatorKwargs: { seed: 1 } },
    ];
    for (const options of bad) {
      expect(() => new GenerationStep({ ...options, numTrials: -1 })).toThrow(GenerationStrategyError);
    }
    expect(() => new GenerationStep({ ...bad[0]!, numTrials: -1 })).toThrow(/coldFitRestarts=-1/);
  });

  it("accepts valid options, and leaves a ready generator's options to it", () => {
    const step = new GenerationStep({
      generator: Generators.BOTORCH,
      numTrials: -1,
      generatorKwargs: { inputWarping: true, warmFitRestarts: 1 },
    });
    expect(step.generatorKwargs).toEqual({ inputWarping: true, warmFitRestarts: 1 });
    const ready = new SobolGenerator({ searchSpace: makeExperiment().searchSpace, seed: 0 });
    expect(
      () => new GenerationStep({ generator: ready, numTrials: 1, generatorKwargs: { anything: 1 } }),
    ).not.toThrow();
  });
});
