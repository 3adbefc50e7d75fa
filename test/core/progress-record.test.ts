import { describe, expect, it } from "vitest";
import {
  progressionKeyText,
  progressRecordFromLine,
  progressRecordFromReport,
} from "../../src/core/progress-record.js";

describe("progress records", () => {
  it("reads a step or a named progression with values", () => {
    expect(progressRecordFromReport({ step: 20, values: { loss: 0.31, acc: [0.9, 0.01] } })).toEqual({
      progression: { step: 20 },
      values: { loss: 0.31, acc: [0.9, 0.01] },
    });
    const epoch = progressRecordFromReport({
      progression: { epoch: 3, samples: 96000 },
      values: { loss: { mean: 0.4, sem: null }, skipped: undefined },
    });
    expect(epoch).toEqual({
      progression: { epoch: 3, samples: 96000 },
      values: { loss: { mean: 0.4, sem: null } },
    });
    expect(Object.isFrozen(epoch)).toBe(true);
  });

  it("says what is wrong with a malformed report", () => {
    const cases: [unknown, RegExp][] = [
      [null, /an object \{ step, values \}/],
      [{ values: { loss: 1 } }, /progression must be a step number/],
      [{ step: Number.NaN, values: { loss: 1 } }, /progression "step" must be a finite number/],
      [{ step: 1, progression: { epoch: 1 }, values: { loss: 1 } }, /either step or progression/],
      [{ progression: {}, values: { loss: 1 } }, /progression must be/],
      [{ step: 1 }, /needs values by metric name/],
      [{ step: 1, values: {} }, /needs values by metric name/],
      [{ step: 1, values: { loss: "0.3" } }, /value of "loss" must be a finite number/],
      [{ step: 1, values: { loss: [1, -1] } }, /value of "loss"/],
      [{ step: 1, values: { loss: [1, 2, 3] } }, /value of "loss"/],
      [{ step: 1, values: { loss: Number.POSITIVE_INFINITY } }, /value of "loss"/],
      [{ step: 1, values: { loss: undefined } }, /at least one metric value/],
    ];
    for (const [report, message] of cases) {
      const out = progressRecordFromReport(report);
      expect(typeof out, JSON.stringify(report)).toBe("string");
      expect(out).toMatch(message);
    }
  });

  it("reads progress-file lines: step or progression, the other keys being values", () => {
    expect(progressRecordFromLine({ step: 20, loss: 0.31 })).toEqual({
      progression: { step: 20 },
      values: { loss: 0.31 },
    });
    expect(progressRecordFromLine({ progression: { epoch: 3 }, loss: 0.4, acc: [0.8, 0.02] })).toEqual({
      progression: { epoch: 3 },
      values: { loss: 0.4, acc: [0.8, 0.02] },
    });
    expect(progressRecordFromLine({ loss: 0.4 })).toMatch(/progression must be/);
    expect(progressRecordFromLine({ step: 1, progression: { epoch: 1 }, loss: 1 })).toMatch(/not both/);
    expect(progressRecordFromLine([1, 2])).toMatch(/JSON object/);
    expect(progressRecordFromLine({ step: 2 })).toMatch(/needs values/);
  });

  it("names a progression the same whatever the order of its keys", () => {
    expect(progressionKeyText({ epoch: 3, samples: 9 })).toBe(progressionKeyText({ samples: 9, epoch: 3 }));
    expect(progressionKeyText({ epoch: 3 })).not.toBe(progressionKeyText({ step: 3 }));
  });
});
