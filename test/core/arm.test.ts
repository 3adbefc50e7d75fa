import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Arm, armSignature, GeneratorRun } from "../../src/core/index.js";
import { ExperimentError } from "../../src/errors.js";
import { catchError, makeExperiment, point, run } from "./helpers.js";

describe("Arm", () => {
  it("copies and freezes its parameters", () => {
    const params: Record<string, number> = { a: 1 };
    const arm = new Arm({ parameters: params });
    params.a = 2;
    expect(arm.parameters).toEqual({ a: 1 });
    expect(Object.isFrozen(arm.parameters)).toBe(true);
    expect(arm.name).toBeNull();
    expect(arm.hasName).toBe(false);
  });

  it("is named once", () => {
    const arm = new Arm({ parameters: { a: 1 } });
    arm.setNameOnce("3_0");
    arm.setNameOnce("4_0");
    expect(arm.name).toBe("3_0");
    expect(new Arm({ parameters: { a: 1 }, name: "mine" }).name).toBe("mine");
  });

  it("clones with another name or none", () => {
    const arm = new Arm({ parameters: { a: 1 }, name: "x" });
    expect(arm.clone().name).toBeNull();
    expect(arm.clone("y").name).toBe("y");
    expect(arm.clone().parameters).toEqual({ a: 1 });
    expect(arm.toJSON()).toEqual({ name: "x", parameters: { a: 1 } });
  });
});

describe("armSignature", () => {
  it("does not depend on key order", () => {
    expect(armSignature({ a: 1, b: "x", c: true })).toBe(armSignature({ c: true, b: "x", a: 1 }));
    expect(new Arm({ parameters: { b: 2, a: 1 } }).signature).toBe(
      new Arm({ parameters: { a: 1, b: 2 } }).signature,
    );
  });

  it("tells different values and types apart", () => {
    expect(armSignature({ a: 1 })).not.toBe(armSignature({ a: 2 }));
    expect(armSignature({ a: 1 })).not.toBe(armSignature({ a: "1" }));
    expect(armSignature({ a: true })).not.toBe(armSignature({ a: "true" }));
    expect(armSignature({ a: 1 })).not.toBe(armSignature({ b: 1 }));
    expect(armSignature({ a: 1 })).not.toBe(armSignature({ a: 1, b: 1 }));
  });

  it("is equal exactly for equal parameterizations (property)", () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("a", "b", "1"), fc.boolean());
    const params = fc.dictionary(fc.constantFrom("x", "y", "z", "w"), value);
    fc.assert(
      fc.property(params, params, (p, q) => {
        const shuffled = Object.fromEntries(Object.entries(p).reverse());
        expect(armSignature(shuffled)).toBe(armSignature(p));
        const same =
          Object.keys(p).length === Object.keys(q).length && Object.entries(p).every(([k, v]) => q[k] === v);
        expect(armSignature(p) === armSignature(q)).toBe(same);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("arm naming in an experiment", () => {
  it("names arms <trial>_<k> as Ax does", () => {
    const { experiment } = makeExperiment();
    const t0 = experiment.newTrial({ generatorRun: run(point(1)) });
    expect(t0.arm.name).toBe("0_0");
    const b1 = experiment.newBatchTrial({
      generatorRuns: [
        GeneratorRun.manual([new Arm({ parameters: point(2) }), new Arm({ parameters: point(3) })]),
      ],
    });
    expect(b1.arms.map((a) => a.name)).toEqual(["1_0", "1_1"]);
    const t2 = experiment.newTrial({ generatorRun: run(point(4)) });
    expect(t2.arm.name).toBe("2_0");
    expect(experiment.getArm("1_1")?.parameters).toEqual(point(3));
    expect(experiment.getArm("9_9")).toBeUndefined();
  });

  it("reuses the name of an existing arm with the same parameters, in any key order", () => {
    const { experiment } = makeExperiment();
    experiment.newTrial({ generatorRun: run({ x1: 1, x2: 2, n: 3, c: "a" }) });
    const again = experiment.newTrial({ generatorRun: run({ c: "a", n: 3, x2: 2, x1: 1 }) });
    expect(again.arm.name).toBe("0_0");
    const batch = experiment.newBatchTrial({
      generatorRuns: [
        GeneratorRun.manual([
          new Arm({ parameters: point(5) }),
          new Arm({ parameters: point(1, 2, 3, "a") }),
          new Arm({ parameters: point(6) }),
        ]),
      ],
    });
    expect(batch.arms.map((a) => a.name)).toEqual(["2_0", "0_0", "2_2"]);
    expect(experiment.findArmBySignature(new Arm({ parameters: point(6) }).signature)?.name).toBe("2_2");
  });

  it("keeps a user-given name", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial({
      generatorRun: GeneratorRun.manual([new Arm({ parameters: point(1), name: "status_quo" })]),
    });
    expect(t.arm.name).toBe("status_quo");
    expect(experiment.getArm("status_quo")).toBe(t.arm);
  });

  it("rejects a user-given name already used by other parameters", () => {
    const { experiment } = makeExperiment();
    experiment.newTrial({ generatorRun: run(point(1)) });
    const e = catchError(
      () =>
        experiment.newTrial({
          generatorRun: GeneratorRun.manual([new Arm({ parameters: point(2), name: "0_0" })]),
        }),
      ExperimentError,
    );
    expect(e.message).toContain('Arm name "0_0" is already used by an arm with other parameters');
    expect(experiment.numTrials).toBe(1);
  });
});
