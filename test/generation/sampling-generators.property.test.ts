import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import type { Parameter } from "../../src/core/parameter.js";
import { ParameterConstraint } from "../../src/core/parameter-constraint.js";
import { ParameterType, type ParameterValue } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { SearchSpaceExhaustedError } from "../../src/errors.js";
import { Generators } from "../../src/generation/generators.js";
import { addTrial, makeExperiment } from "./helpers.js";

/** A recipe for one parameter; names are given by position. */
type ParamRecipe =
  | { kind: "float"; lower: number; width: number; logScale: boolean }
  | { kind: "int"; lower: number; width: number; logScale: boolean }
  | { kind: "choice"; values: ParameterValue[]; isOrdered: boolean }
  | { kind: "fixed"; value: ParameterValue };

const floatRecipe = fc.record({
  kind: fc.constant("float" as const),
  lower: fc.double({ min: 1e-3, max: 100, noNaN: true }),
  width: fc.double({ min: 1e-2, max: 1000, noNaN: true }),
  logScale: fc.boolean(),
});
const intRecipe = fc.record({
  kind: fc.constant("int" as const),
  lower: fc.integer({ min: 1, max: 20 }),
  width: fc.integer({ min: 1, max: 30 }),
  logScale: fc.boolean(),
});
const choiceRecipe = fc.record({
  kind: fc.constant("choice" as const),
  values: fc.oneof(
    fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 5 })
      .map((v): ParameterValue[] => v),
    fc
      .uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 5 })
      .map((v): ParameterValue[] => v),
    fc.constant<ParameterValue[]>([true, false]),
  ),
  isOrdered: fc.boolean(),
});
const fixedRecipe = fc.record({
  kind: fc.constant("fixed" as const),
  value: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean()),
});

function build(recipe: ParamRecipe, name: string): Parameter {
  switch (recipe.kind) {
    case "float":
      return new RangeParameter({
        name,
        parameterType: ParameterType.FLOAT,
        lower: recipe.lower,
        upper: recipe.lower + recipe.width,
        logScale: recipe.logScale,
      });
    case "int":
      return new RangeParameter({
        name,
        parameterType: ParameterType.INT,
        lower: recipe.lower,
        upper: recipe.lower + recipe.width,
        logScale: recipe.logScale,
      });
    case "choice":
      return new ChoiceParameter({ name, values: recipe.values, isOrdered: recipe.isOrdered });
    case "fixed":
      return new FixedParameter({ name, value: recipe.value });
  }
}

/**
 * A search space of the recipes plus, when `fraction` is set, the constraint
 * `sum(range params) <= sum(lower) + fraction * sum(upper - lower)`: the lower corner satisfies it and
 * so does a region of positive measure, so it is known to be feasible.
 */
function buildSpace(recipes: ParamRecipe[], fraction: number | null): SearchSpace {
  const parameters = recipes.map((r, i) => build(r, `p${i}`));
  const ranges = parameters.filter((p): p is RangeParameter => p instanceof RangeParameter);
  const constraints =
    fraction !== null && ranges.length > 0
      ? [
          new ParameterConstraint({
            constraintDict: Object.fromEntries(ranges.map((p) => [p.name, 1])),
            bound: ranges.reduce((s, p) => s + p.lower + fraction * (p.upper - p.lower), 0),
          }),
        ]
      : [];
  return new SearchSpace({ parameters, parameterConstraints: constraints });
}

const anyRecipe = fc.oneof(floatRecipe, intRecipe, choiceRecipe, fixedRecipe);
const specs = [Generators.SOBOL, Generators.UNIFORM];

describe("Sobol and Uniform generators (property)", () => {
  it("propose only arms that are members of random search spaces with a feasible constraint", async () => {
    await fc.assert(
      fc.asyncProperty(
        // A float parameter keeps the space continuous, so n arms always exist.
        fc.tuple(floatRecipe, fc.array(anyRecipe, { maxLength: 6 })),
        fc.option(fc.double({ min: 0.3, max: 1, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 6 }),
        async ([first, rest], fraction, seed, n) => {
          const space = buildSpace([first, ...rest], fraction);
          for (const spec of specs) {
            const run = await spec
              .create({ searchSpace: space, seed })
              .gen({ experiment: makeExperiment(space), n, pendingArms: [] });
            expect(run.arms).toHaveLength(n);
            for (const arm of run.arms) expect(space.explainMembership(arm.parameters)).toBeNull();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("enumerate a finite unconstrained space exactly once, then report exhaustion", async () => {
    const smallChoice = fc.record({
      kind: fc.constant("choice" as const),
      values: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 3 }),
      isOrdered: fc.boolean(),
    });
    const smallInt = fc.record({
      kind: fc.constant("int" as const),
      lower: fc.integer({ min: 1, max: 5 }),
      width: fc.integer({ min: 1, max: 3 }),
      logScale: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(smallChoice, smallInt, fixedRecipe), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(...specs),
        async (recipes, seed, spec) => {
          const space = buildSpace(recipes, null);
          const experiment = makeExperiment(space);
          const generator = spec.create({ searchSpace: space, seed });
          for (let i = 0; i < space.cardinality; i++) {
            addTrial(
              experiment,
              await generator.gen({ experiment, n: 1, pendingArms: experiment.pendingArms }),
            );
          }
          const signatures = new Set([...experiment.trials.values()].map((t) => t.arms[0]!.signature));
          expect(signatures.size).toBe(space.cardinality);
          await expect(generator.gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(
            SearchSpaceExhaustedError,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
