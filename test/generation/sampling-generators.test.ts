import { describe, expect, it } from "vitest";
import { Arm } from "../../src/core/arm.js";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { GeneratorRun } from "../../src/core/generator-run.js";
import { ParameterConstraint } from "../../src/core/parameter-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import {
  GenerationStrategyError,
  ParameterConstraintError,
  SearchSpaceExhaustedError,
} from "../../src/errors.js";
import type { Generator, GeneratorSpec } from "../../src/generation/generator.js";
import { Generators } from "../../src/generation/generators.js";
import { SobolGenerator } from "../../src/generation/sobol-generator.js";
import { addTrial, infeasibleSpace, makeExperiment, mixedSpace, sixPointSpace } from "./helpers.js";

/** Parameters of `total` arms generated `chunk` at a time (each chunk becomes one trial's worth of pending). */
async function generate(generator: Generator, total: number, chunk = 1): Promise<Record<string, unknown>[]> {
  const experiment = makeExperiment(mixedSpace());
  const out: Record<string, unknown>[] = [];
  while (out.length < total) {
    const run = await generator.gen({ experiment, n: chunk, pendingArms: [] });
    out.push(...run.arms.map((a) => ({ ...a.parameters })));
  }
  return out;
}

const create = (spec: GeneratorSpec, seed: number, searchSpace = mixedSpace()) =>
  spec.create({ searchSpace, seed });

describe.each([
  ["Sobol", Generators.SOBOL],
  ["Uniform", Generators.UNIFORM],
])("%s generator", (name, spec) => {
  it("proposes unnamed arms in the search space, with its name and per-arm metadata", async () => {
    const experiment = makeExperiment();
    const run = await create(spec, 0).gen({ experiment, n: 4, pendingArms: [] });
    expect(run.generatorName).toBe(name);
    expect(run.arms).toHaveLength(4);
    for (const arm of run.arms) {
      expect(arm.name).toBeNull();
      expect(experiment.searchSpace.explainMembership(arm.parameters)).toBeNull();
    }
    expect(run.candidateMetadata).toHaveLength(4);
    // Without constraints every draw is accepted: arm i is draw i of the stream.
    const indexKey = name === "Sobol" ? "sobolIndex" : "drawIndex";
    expect(run.candidateMetadata).toEqual([0, 1, 2, 3].map((i) => ({ [indexKey]: i })));
    expect(run.metadata.numDraws).toBe(4);
    expect(run.timeCreated).toBe(experiment.clock.now());
  });

  it("is deterministic under a seed, and different seeds differ", async () => {
    const a = await generate(create(spec, 7), 8);
    const b = await generate(create(spec, 7), 8);
    const c = await generate(create(spec, 8), 8);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("gives the same stream whether arms are asked one at a time or in a batch", async () => {
    expect(await generate(create(spec, 3), 6, 1)).toEqual(await generate(create(spec, 3), 6, 6));
  });

  it("continues the exact stream after a restore from getState()", async () => {
    const uninterrupted = await generate(create(spec, 11), 10);
    const first = create(spec, 11);
    const head = await generate(first, 5);
    const state = JSON.parse(JSON.stringify(first.getState?.() ?? null));
    const restored = spec.create({ searchSpace: mixedSpace(), seed: 999, state });
    const tail = await generate(restored, 5);
    expect([...head, ...tail]).toEqual(uninterrupted);
  });

  it("throws ParameterConstraintError, without hanging, when the constraints leave no feasible point", async () => {
    const generator = spec.create({ searchSpace: infeasibleSpace(), seed: 0 });
    const experiment = makeExperiment(infeasibleSpace());
    await expect(generator.gen({ experiment, n: 2, pendingArms: [] })).rejects.toThrow(
      ParameterConstraintError,
    );
    await expect(generator.gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(/no feasible region/);
  });

  it("respects a feasible linear constraint", async () => {
    const x = (n: string) =>
      new RangeParameter({ name: n, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });
    const searchSpace = new SearchSpace({
      parameters: [x("a"), x("b")],
      parameterConstraints: [new ParameterConstraint({ constraintDict: { a: 1, b: 1 }, bound: 0.3 })],
    });
    const run = await spec
      .create({ searchSpace, seed: 0 })
      .gen({ experiment: makeExperiment(searchSpace), n: 20, pendingArms: [] });
    for (const arm of run.arms) expect(searchSpace.checkMembership(arm.parameters)).toBe(true);
    expect(run.metadata.numInfeasible).toBeGreaterThan(0);
  });

  it("proposes each of the 6 points of a finite space once, then throws SearchSpaceExhaustedError", async () => {
    const space = sixPointSpace();
    const experiment = makeExperiment(space);
    const generator = spec.create({ searchSpace: space, seed: 5 });
    for (let i = 0; i < 6; i++) {
      const run = await generator.gen({ experiment, n: 1, pendingArms: experiment.pendingArms });
      addTrial(experiment, run);
    }
    const signatures = new Set([...experiment.trials.values()].map((t) => t.arms[0]!.signature));
    expect(signatures.size).toBe(6);
    await expect(generator.gen({ experiment, n: 1, pendingArms: [] })).rejects.toThrow(
      SearchSpaceExhaustedError,
    );
  });

  it("never repeats a pending arm or an arm of the same batch in a finite space", async () => {
    const space = sixPointSpace();
    const pendingArms = [
      new Arm({ parameters: { k: 0, color: "red" } }),
      new Arm({ parameters: { k: 1, color: "red" } }),
    ];
    const run = await spec
      .create({ searchSpace: space, seed: 1 })
      .gen({ experiment: makeExperiment(space), n: 4, pendingArms });
    const sigs = run.arms.map((a) => a.signature);
    expect(new Set(sigs).size).toBe(4);
    for (const p of pendingArms) expect(sigs).not.toContain(p.signature);
    await expect(
      spec
        .create({ searchSpace: space, seed: 1 })
        .gen({ experiment: makeExperiment(space), n: 5, pendingArms }),
    ).rejects.toThrow(/4 left/);
  });

  it("counts arms of failed trials as used", async () => {
    const space = sixPointSpace();
    const experiment = makeExperiment(space);
    for (const color of ["red", "green", "blue"]) {
      for (const k of [0, 1])
        addTrial(experiment, GeneratorRun.manual([new Arm({ parameters: { k, color } })]), "FAILED");
    }
    await expect(
      spec.create({ searchSpace: space, seed: 0 }).gen({ experiment, n: 1, pendingArms: [] }),
    ).rejects.toThrow(SearchSpaceExhaustedError);
  });

  it("rejects invalid n, options and state", async () => {
    const generator = create(spec, 0);
    await expect(generator.gen({ experiment: makeExperiment(), n: 0, pendingArms: [] })).rejects.toThrow(
      GenerationStrategyError,
    );
    expect(() => spec.create({ searchSpace: mixedSpace(), seed: 0, options: { nope: 1 } })).toThrow(/nope/);
    expect(() => spec.create({ searchSpace: mixedSpace(), seed: 0, state: { bad: true } })).toThrow(
      GenerationStrategyError,
    );
  });
});

describe("SobolGenerator specifics", () => {
  it("spreads unordered choices evenly (one coordinate per choice, not argmax of one-hot)", async () => {
    const space = new SearchSpace({
      parameters: [
        new ChoiceParameter({ name: "c", values: ["a", "b", "c", "d", "e"] }),
        new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ],
    });
    const run = await new SobolGenerator({ searchSpace: space, seed: 2 }).gen({
      experiment: makeExperiment(space),
      n: 64,
      pendingArms: [],
    });
    const counts = new Map<unknown, number>();
    for (const arm of run.arms) counts.set(arm.parameters.c, (counts.get(arm.parameters.c) ?? 0) + 1);
    for (const v of ["a", "b", "c", "d", "e"]) expect(counts.get(v)).toBeGreaterThanOrEqual(12);
  });

  it("starts at the lower corner when unscrambled and records its position", async () => {
    const generator = new SobolGenerator({
      searchSpace: mixedSpace(),
      seed: 0,
      options: { scramble: false },
    });
    const run = await generator.gen({ experiment: makeExperiment(), n: 2, pendingArms: [] });
    expect(run.arms[0]!.parameters).toEqual({ x1: 0, x2: 1e-3, k: 1, opt: "a", f: 1 });
    expect(run.candidateMetadata.map((m) => m?.sobolIndex)).toEqual([0, 1]);
    expect(generator.numGenerated).toBe(2);
  });
});
