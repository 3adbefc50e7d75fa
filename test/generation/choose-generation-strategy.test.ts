import { describe, expect, it } from "vitest";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { GenerationStrategyError } from "../../src/errors.js";
import {
  chooseGenerationStrategy,
  defaultNumInitializationTrials,
} from "../../src/generation/choose-generation-strategy.js";
import { Logger } from "../../src/util/logger.js";
import { mixedSpace } from "./helpers.js";

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({ name: "ascent.generation", sink: (line) => lines.push(line) }), lines };
}

describe("chooseGenerationStrategy", () => {
  it("returns an unlimited Sobol strategy and says why, like Ax", () => {
    const { logger, lines } = capture();
    const gs = chooseGenerationStrategy({ searchSpace: mixedSpace(), logger });
    expect(gs.name).toBe("Sobol");
    expect(gs.steps).toHaveLength(1);
    expect(gs.steps[0]!.numTrials).toBe(-1);
    expect(gs.steps[0]!.maxParallelism).toBeNull();
    expect(gs.seed).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[INFO \d\d-\d\d \d\d:\d\d:\d\d\] ascent\.generation: /);
    expect(lines[0]).toContain(
      "Using Sobol (quasi-random) generation strategy: GenerationStrategy(name='Sobol', steps=[Sobol for all trials]). " +
        "For Bayesian optimization, add a step with Generators.BOTORCH to an explicit GenerationStrategy.",
    );
  });

  it("caps maxParallelism and passes the seed", () => {
    const gs = chooseGenerationStrategy({
      searchSpace: mixedSpace(),
      maxParallelismCap: 3,
      seed: 12,
      logger: capture().logger,
    });
    expect(gs.steps[0]!.maxParallelism).toBe(3);
    expect(gs.seed).toBe(12);
  });

  it("validates its counts", () => {
    const { logger } = capture();
    expect(() =>
      chooseGenerationStrategy({ searchSpace: mixedSpace(), maxParallelismCap: 0, logger }),
    ).toThrow(GenerationStrategyError);
    expect(() => chooseGenerationStrategy({ searchSpace: mixedSpace(), numTrials: -1, logger })).toThrow(
      /numTrials/,
    );
  });
});

describe("defaultNumInitializationTrials", () => {
  const float = (name: string) =>
    new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });

  it("is max(5, 2 d) over the searched (non-fixed) parameters", () => {
    expect(defaultNumInitializationTrials(mixedSpace())).toBe(8);
    expect(defaultNumInitializationTrials(new SearchSpace({ parameters: [float("a")] }))).toBe(5);
    const wide = new SearchSpace({
      parameters: [
        ...["a", "b", "c", "d", "e"].map(float),
        new ChoiceParameter({ name: "c1", values: ["x", "y"] }),
        new FixedParameter({ name: "f1", value: 2 }),
        new FixedParameter({ name: "f2", value: 3 }),
      ],
    });
    expect(defaultNumInitializationTrials(wide)).toBe(12);
  });
});
