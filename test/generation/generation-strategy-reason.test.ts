import { describe, expect, it } from "vitest";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { GenerationStrategyError } from "../../src/errors.js";
import { chooseGenerationStrategy } from "../../src/generation/choose-generation-strategy.js";
import { GenerationStep } from "../../src/generation/generation-step.js";
import { GenerationStrategy } from "../../src/generation/generation-strategy.js";
import { Generators } from "../../src/generation/generators.js";
import { Logger } from "../../src/util/logger.js";

const quiet = () => new Logger({ name: "test", sink: () => undefined });
const float = (name: string) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });

describe("the reason a generation strategy was chosen", () => {
  it("is recorded by chooseGenerationStrategy and survives the stored state", () => {
    const gs = chooseGenerationStrategy({
      searchSpace: new SearchSpace({ parameters: [float("a"), float("b")] }),
      logger: quiet(),
    });
    expect(gs.reason).toBe(
      "Bayesian optimization after 5 quasi-random (Sobol) trials, because all 2 tunable parameters are ordered.",
    );
    const state = JSON.parse(JSON.stringify(gs.toState()));
    expect(state.reason).toBe(gs.reason);
    expect(GenerationStrategy.fromState(state).reason).toBe(gs.reason);
  });

  it("says why a strategy is Sobol only", () => {
    const choices = ["a", "b", "c"].map(
      (name) =>
        new ChoiceParameter({
          name,
          values: Array.from({ length: 12 }, (_, i) => `v${i}`),
          isOrdered: false,
        }),
    );
    const gs = chooseGenerationStrategy({
      searchSpace: new SearchSpace({ parameters: [float("x"), ...choices] }),
      logger: quiet(),
    });
    expect(gs.reason).toMatch(/^Sobol only, because the search space is dominated by unordered choice/);
    const forced = chooseGenerationStrategy({
      searchSpace: new SearchSpace({ parameters: [float("x")] }),
      forceRandomSearch: true,
      logger: quiet(),
    });
    expect(forced.reason).toBe("Sobol only, because forceRandomSearch is set.");
  });

  it("is null for a hand-built strategy, whose state has no reason field, and must be a string when stored", () => {
    const gs = new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    });
    expect(gs.reason).toBeNull();
    expect("reason" in gs.toState()).toBe(false);
    expect(GenerationStrategy.fromState(gs.toState()).reason).toBeNull();
    expect(() => GenerationStrategy.fromState({ ...gs.toState(), reason: 3 })).toThrow(
      GenerationStrategyError,
    );
    expect(() => GenerationStrategy.fromState({ ...gs.toState(), reason: 3 })).toThrow(
      /reason is not a string/,
    );
  });
});
