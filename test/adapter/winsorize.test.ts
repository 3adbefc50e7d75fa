import { describe, expect, it } from "vitest";
import {
  MAX_MODELED_MAGNITUDE,
  MAX_MODELED_SEM,
  WINSORIZATION_IQR_MULTIPLE,
  type WinsorizationTails,
  winsorizationTails,
  winsorizeDataset,
} from "../../src/adapter/winsorize.js";
import { ComparisonOp } from "../../src/core/index.js";
import { makeExperiment } from "../reporting/helpers.js";
import { dataset } from "./outcome-transforms/helpers.js";

const K = WINSORIZATION_IQR_MULTIPLE;
const upper: WinsorizationTails = { lower: null, upper: { anchor: null } };
const lower: WinsorizationTails = { lower: { anchor: null }, upper: null };
const none: WinsorizationTails = { lower: null, upper: null };

describe("winsorizeDataset", () => {
  // Sorted: 1..8; q1 = sorted[floor(7/4)] = 2, q3 = sorted[ceil(21/4)] = 7, IQR 5.
  const ordinary = [5, 1, 8, 3, 2, 7, 4, 6];

  it("returns ordinary data as they are: the same object, nothing clipped", () => {
    for (const tails of [upper, lower, none]) {
      const data = dataset(
        ordinary,
        ordinary.map(() => 0.01),
      );
      const out = winsorizeDataset(data, tails);
      expect(out.dataset).toBe(data);
      expect(out.numClipped).toBe(0);
    }
  });

  it("moves a value beyond the fence of a clipped tail to the fence, and only that value", () => {
    const out = winsorizeDataset(dataset([...ordinary, 1e160]), upper);
    // With the outlier, 9 values: q1 = sorted[2] = 3, q3 = sorted[6] = 7.
    const fence = 7 + K * (7 - 3);
    expect(Array.from(out.dataset.Y)).toEqual([...ordinary, fence]);
    expect(out.numClipped).toBe(1);
    // A value inside the fence stays, however far out by Tukey's 1.5 rule.
    const inside = winsorizeDataset(dataset([...ordinary, fence - 1]), upper);
    expect(inside.numClipped).toBe(0);
  });

  it("leaves the other tail alone, up to the magnitude cap", () => {
    const out = winsorizeDataset(dataset([...ordinary, -1e160, -5000]), upper);
    expect(Array.from(out.dataset.Y)).toEqual([...ordinary, -MAX_MODELED_MAGNITUDE, -5000]);
    const high = winsorizeDataset(dataset([...ordinary, 1e160, 5000]), lower);
    expect(Array.from(high.dataset.Y)).toEqual([...ordinary, MAX_MODELED_MAGNITUDE, 5000]);
  });

  it("clips the low tail of a maximized metric at q1 minus the multiple of the IQR", () => {
    const values = [...ordinary, -1e9];
    const sorted = [...values].sort((a, b) => a - b);
    const q1 = sorted[2]!;
    const q3 = sorted[6]!;
    const out = winsorizeDataset(dataset(values), lower);
    expect(out.dataset.Y[8]).toBe(q1 - K * (q3 - q1));
    expect(Array.from(out.dataset.Y.subarray(0, 8))).toEqual(ordinary);
  });

  it("widens a constraint's fence to its bound, so that no value crosses the bound", () => {
    // LEQ 1e5: the fence starts from max(q3, bound), far above the data's own fence.
    const values = [...ordinary, 2e5, 1e12];
    const out = winsorizeDataset(dataset(values), { lower: null, upper: { anchor: 1e5 } });
    const sorted = [...values].sort((a, b) => a - b);
    const q1 = sorted[Math.floor(9 / 4)]!;
    const fence = 1e5 + K * (1e5 - q1);
    expect(Array.from(out.dataset.Y)).toEqual([...ordinary, 2e5, fence]);
    // The infeasible value stays infeasible, the feasible ones untouched.
    expect(out.dataset.Y[9]).toBeGreaterThan(1e5);
  });

  it("clips nothing by the fence when the interquartile range is zero (only the caps apply)", () => {
    const ones = Array.from({ length: 8 }, () => 1);
    const out = winsorizeDataset(dataset([...ones, 1e12, 1e200]), upper);
    expect(Array.from(out.dataset.Y)).toEqual([...ones, 1e12, MAX_MODELED_MAGNITUDE]);
  });

  it("caps the noise: an infinite or huge variance becomes the largest modeled one", () => {
    const out = winsorizeDataset(dataset([1, 2, 3], [0.5, Number.POSITIVE_INFINITY, 1e300]), none);
    expect(Array.from(out.dataset.Yvar!)).toEqual([0.5, MAX_MODELED_SEM ** 2, MAX_MODELED_SEM ** 2]);
    expect(out.numClipped).toBe(2);
    expect(Number.isFinite(MAX_MODELED_SEM ** 2 / 1e-16)).toBe(true);
  });

  it("never reverses the order of two observations (values beyond a fence may tie)", () => {
    const values = [3, -1e300, 2, 1e300, 7, 1e160, 4, 5, 6];
    const out = winsorizeDataset(dataset(values), { lower: { anchor: null }, upper: { anchor: null } });
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        if (values[i]! < values[j]!) expect(out.dataset.Y[i]!).toBeLessThanOrEqual(out.dataset.Y[j]!);
      }
    }
    expect(out.numClipped).toBe(3);
  });
});

describe("winsorizationTails", () => {
  it("clips a minimized objective's high tail, mirrored onto its negated dataset", () => {
    const config = makeExperiment({ minimize: true }).optimizationConfig!;
    expect(winsorizationTails(config, "obj", 1)).toEqual({ lower: null, upper: { anchor: null } });
    // The BO generator negates a minimized objective: its bad values are then the low ones.
    expect(winsorizationTails(config, "obj", -1)).toEqual({ lower: { anchor: null }, upper: null });
  });

  it("clips a maximized objective's low tail", () => {
    const config = makeExperiment({ minimize: false }).optimizationConfig!;
    expect(winsorizationTails(config, "obj", 1)).toEqual({ lower: { anchor: null }, upper: null });
  });

  it("clips a constraint's infeasible side, anchored at its bound; both sides for two-sided bounds", () => {
    const config = makeExperiment({
      constraints: [
        { metric: "cost", op: ComparisonOp.LEQ, bound: 10 },
        { metric: "quality", op: ComparisonOp.GEQ, bound: 0.5 },
        { metric: "size", op: ComparisonOp.GEQ, bound: 1 },
        { metric: "size", op: ComparisonOp.LEQ, bound: 9 },
      ],
    }).optimizationConfig!;
    expect(winsorizationTails(config, "cost", 1)).toEqual({ lower: null, upper: { anchor: 10 } });
    expect(winsorizationTails(config, "quality", 1)).toEqual({ lower: { anchor: 0.5 }, upper: null });
    expect(winsorizationTails(config, "size", 1)).toEqual({ lower: { anchor: 1 }, upper: { anchor: 9 } });
  });

  it("uses an objective threshold as the fence's anchor in a multi-objective config", () => {
    const config = makeExperiment({ multiObjective: true, thresholds: { obj: 4 } }).optimizationConfig!;
    expect(winsorizationTails(config, "obj", 1)).toEqual({ lower: null, upper: { anchor: 4 } });
    expect(winsorizationTails(config, "obj", -1)).toEqual({ lower: { anchor: -4 }, upper: null });
    expect(winsorizationTails(config, "obj2", 1)).toEqual({ lower: { anchor: null }, upper: null });
  });

  it("clips no tail of a metric the config does not mention, nor without a config", () => {
    const config = makeExperiment({ tracking: ["t"] }).optimizationConfig!;
    expect(winsorizationTails(config, "t", 1)).toEqual({ lower: null, upper: null });
    expect(winsorizationTails(null, "obj", 1)).toEqual({ lower: null, upper: null });
  });
});
