import { describe, expect, it } from "vitest";
import { Data } from "../../src/core/index.js";
import { dataToTable } from "../../src/reporting/data-to-table.js";
import { tableToCsv } from "../../src/reporting/table-format.js";

describe("dataToTable", () => {
  it("gives one row per data row, a column per progression key, empty for final rows", () => {
    const data = Data.fromRows([
      { trialIndex: 0, armName: "0_0", metricName: "loss", mean: 0.9, sem: null, progression: { epoch: 1 } },
      {
        trialIndex: 0,
        armName: "0_0",
        metricName: "loss",
        mean: 0.5,
        sem: 0.1,
        progression: { epoch: 2, samples: 64 },
      },
      { trialIndex: 0, armName: "0_0", metricName: "loss", mean: 0.4, sem: 0.1 },
    ]);
    expect(tableToCsv(dataToTable(data), { lineEnding: "\n" })).toBe(
      [
        "trialIndex,armName,metricName,mean,sem,epoch,samples",
        "0,0_0,loss,0.9,,1,",
        "0,0_0,loss,0.5,0.1,2,64",
        "0,0_0,loss,0.4,0.1,,",
        "",
      ].join("\n"),
    );
  });

  it("renames a progression key that collides with a fixed column", () => {
    const data = Data.fromRows([
      { trialIndex: 1, armName: "1_0", metricName: "m", mean: 2, sem: null, progression: { mean: 7 } },
    ]);
    expect(dataToTable(data)).toEqual([
      { trialIndex: 1, armName: "1_0", metricName: "m", mean: 2, sem: null, "progression:mean": 7 },
    ]);
    expect(dataToTable(Data.empty())).toEqual([]);
  });
});
