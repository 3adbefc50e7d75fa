import { describe, expect, it } from "vitest";
import { experimentToTable, tableColumns, tableToCsv, tableToJson } from "../../src/reporting/index.js";
import { completed, makeExperiment } from "./helpers.js";

describe("tableToCsv", () => {
  it("quotes fields with commas, quotes, CR or LF (RFC 4180) and ends records with CRLF", () => {
    const csv = tableToCsv([
      { name: "plain", note: "a,b" },
      { name: 'say "hi"', note: "line1\nline2" },
      { name: "cr\rhere", note: " spaced " },
    ]);
    expect(csv).toBe('name,note\r\nplain,"a,b"\r\n"say ""hi""","line1\nline2"\r\n"cr\rhere", spaced \r\n');
  });

  it("takes the header from the union of keys in first-seen order, empty fields for missing values", () => {
    const csv = tableToCsv(
      [
        { b: 1, a: true },
        { a: null, c: "x" },
        { c: undefined, b: -2.5 },
      ],
      {
        lineEnding: "\n",
      },
    );
    expect(csv).toBe("b,a,c\n1,true,\n,,x\n-2.5,,\n");
  });

  it("quotes column names that need it", () => {
    expect(tableToCsv([{ "a,b": 1 }])).toBe('"a,b"\r\n1\r\n');
  });

  it("gives an empty string for an empty table", () => {
    expect(tableToCsv([])).toBe("");
  });

  it("writes an experiment table with metric columns first", () => {
    const experiment = makeExperiment();
    completed(experiment, 1.25, { obj: 3 }, "b");
    const csv = tableToCsv(experimentToTable(experiment));
    expect(csv).toBe(
      "obj,trialIndex,armName,x,kind,trialStatus,generatorModel\r\n3,0,0_0,1.25,b,COMPLETED,Sobol\r\n",
    );
  });
});

describe("tableToJson", () => {
  it("gives every record every column, null where missing", () => {
    const json = tableToJson([{ a: 1 }, { b: "x", a: undefined }]);
    expect(JSON.parse(json)).toEqual([
      { a: 1, b: null },
      { a: null, b: "x" },
    ]);
    expect(Object.keys(JSON.parse(json)[1])).toEqual(["a", "b"]);
  });

  it("indents when asked", () => {
    expect(tableToJson([{ a: 1 }], 2)).toBe('[\n  {\n    "a": 1\n  }\n]');
  });
});

describe("tableColumns", () => {
  it("lists the union of keys in first-seen order", () => {
    expect(tableColumns([{ a: 1 }, { c: 2, a: 3, b: 4 }])).toEqual(["a", "c", "b"]);
  });
});
